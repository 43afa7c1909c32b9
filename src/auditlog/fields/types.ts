/**
 * Fields are data. A field table lists what a Falco event source offers: the name, the type,
 * whether it yields a list, which argument it takes. The rule compiler checks conditions and
 * outputs against a table; evaluating a field needs an extractor, which lives apart from the
 * table (`extract.ts`), so a table without extractors (Falco's syscall fields, for
 * `palisade export falco`) still validates rules written for it.
 */
export type FieldType = 'string' | 'uint64' | 'int64' | 'bool' | 'ipaddr' | 'ipnet' | 'abstime' | 'reltime' | 'fspath' | 'bytebuf';

export interface FieldArgSpec {
  /** Without it the field is refused (`ka.uri.param` needs `[name]`). */
  required: boolean;
  /** `key`: any text (`jevt.value[/stage]`); `index`: a decimal index without leading zeros (`ka.req.pod.containers.image[0]`). */
  kind: 'key' | 'index';
}

export interface FieldInfo {
  name: string;
  type: FieldType;
  /** Extracts several values: only `exists`, `in` and `intersects` apply. */
  list: boolean;
  arg?: FieldArgSpec;
  desc: string;
  /** The Falco event source the field belongs to (`k8s_audit`, `syscall`). */
  source: string;
  /** The plugin (or libsinsp class) that defines it upstream. */
  provider: string;
}

/** A value extracted from an event: one string, several (never an empty list), or not available. */
export type FieldValue = string | readonly string[] | undefined;

/** Turns a field's argument into a function of the event; called once per compiled check. */
export type ExtractorFactory<E> = (arg: string | undefined, info: FieldInfo) => (event: E) => FieldValue;

export interface FieldCatalog<E> {
  /** The event source whose rules this catalog serves (`k8s_audit`). */
  source: string;
  info(name: string): FieldInfo | undefined;
  /** Undefined for a field that is known but cannot be evaluated here. */
  extractor(name: string): ExtractorFactory<E> | undefined;
}
