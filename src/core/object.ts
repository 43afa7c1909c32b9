/** A JSON or YAML mapping, as parsed: keys to unknown values. */
export type PlainObject = Record<string, unknown>;

/** The one plain-object guard: a mapping, not null and not an array (every engine uses this one). */
export function isPlainObject(value: unknown): value is PlainObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
