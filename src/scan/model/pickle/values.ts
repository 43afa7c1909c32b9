/**
 * What the VM knows of a value on its stack: enough to name imports, follow strings and bytes into
 * STACK_GLOBAL and nested loaders, and measure nesting and expansion; nothing is ever constructed.
 * `depth` is the container nesting, `weight` the node count with shared references counted each time.
 */
export type Value = Atom | IntValue | StrValue | BytesValue | GlobalValue | ObjectValue | TupleValue | ContainerValue;

interface Sized {
  depth: number;
  weight: number;
}

/** None, booleans, floats, out-of-band buffers, persistent ids: values nothing depends on. */
export interface Atom extends Sized {
  kind: 'atom';
  what: 'none' | 'bool' | 'float' | 'buffer' | 'persid';
}

export interface IntValue extends Sized {
  kind: 'int';
  /** undefined when too long to matter (LONG4 of many bytes). */
  value: bigint | undefined;
}

export interface StrValue extends Sized {
  kind: 'str';
  /** undefined for strings longer than LIMITS.maxDecodedString (skipped, not decoded). */
  text: string | undefined;
  /** Where the literal starts (for messages). */
  offset: number;
}

/** A bytes literal, by position in the source (never copied unless a nested loader needs it). */
export interface BytesValue extends Sized {
  kind: 'bytes';
  start: number;
  length: number;
}

export interface GlobalValue extends Sized {
  kind: 'global';
  module: string;
  name: string;
  /** false when module or name was computed at load time. */
  resolved: boolean;
  offset: number;
}

/** The result of REDUCE, NEWOBJ, NEWOBJ_EX, OBJ or INST. */
export interface ObjectValue extends Sized {
  kind: 'object';
  callee: Value;
  args: Value | undefined;
  offset: number;
  state?: Value;
}

export interface TupleValue extends Sized {
  kind: 'tuple';
  /** Kept for short tuples only (call arguments); undefined for long ones. */
  items: Value[] | undefined;
}

export interface ContainerValue extends Sized {
  kind: 'list' | 'dict' | 'set' | 'frozenset';
  /** String-keyed entries of small dicts (joblib array wrappers read them). */
  entries?: Map<string, Value>;
}

export const NONE: Atom = { kind: 'atom', what: 'none', depth: 0, weight: 1 };
export const BOOL: Atom = { kind: 'atom', what: 'bool', depth: 0, weight: 1 };
export const FLOAT: Atom = { kind: 'atom', what: 'float', depth: 0, weight: 1 };
export const BUFFER: Atom = { kind: 'atom', what: 'buffer', depth: 0, weight: 1 };
export const PERSID: Atom = { kind: 'atom', what: 'persid', depth: 0, weight: 1 };

/** Tuples longer than this keep no items. */
export const MAX_KEPT_ITEMS = 64;

/** A value built at load time rather than written in the stream. */
export function isComputed(value: Value): boolean {
  return value.kind === 'object' || value.kind === 'global' || (value.kind === 'atom' && (value.what === 'buffer' || value.what === 'persid'));
}

export function describe(value: Value): string {
  switch (value.kind) {
    case 'str':
      return value.text === undefined ? 'a long string' : JSON.stringify(value.text);
    case 'global':
      return value.resolved ? `${value.module}.${value.name}` : 'a computed global';
    case 'object':
      return `the result of calling ${describe(value.callee)}`;
    case 'atom':
      return value.what;
    default:
      return `a ${value.kind}`;
  }
}
