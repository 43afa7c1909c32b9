import { isPlainObject, type PlainObject } from '../core/object.js';
import { pointerTokens } from '../core/pointer.js';

/** Plain-object helpers over JSON pointers: the naive model every edit is checked against. */

export { isPlainObject, type PlainObject } from '../core/object.js';

/** A deep copy that never shares a node, even where the YAML shared one through an alias. */
export function clone<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => clone(v)) as T;
  if (isPlainObject(value)) {
    const out: PlainObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = clone(v);
    return out as T;
  }
  return value;
}

export function getAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const token of pointerTokens(pointer)) {
    if (Array.isArray(value)) value = value[Number(token)];
    else if (isPlainObject(value)) value = Object.prototype.hasOwnProperty.call(value, token) ? value[token] : undefined;
    else return undefined;
  }
  return value;
}

/**
 * Set a value, creating missing (or null/scalar) parents as mappings; an array index equal to the
 * length appends. This is what the YAML edit engine must produce, so tests compare against it.
 */
export function setAt(root: PlainObject, pointer: string, value: unknown): void {
  const tokens = pointerTokens(pointer);
  if (tokens.length === 0) throw new Error('cannot set the root');
  let parent: unknown = root;
  for (let i = 0; i < tokens.length - 1; i++) {
    const token = tokens[i]!;
    if (Array.isArray(parent)) {
      const index = Number(token);
      if (!isPlainObject(parent[index]) && !Array.isArray(parent[index])) parent[index] = {};
      parent = parent[index];
    } else {
      const map = parent as PlainObject;
      if (!isPlainObject(map[token]) && !Array.isArray(map[token])) map[token] = {};
      parent = map[token];
    }
  }
  const last = tokens[tokens.length - 1]!;
  if (Array.isArray(parent)) parent[Number(last)] = value;
  else (parent as PlainObject)[last] = value;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((v, i) => deepEqual(v, other[i]));
  }
  const ka = Object.keys(a as PlainObject);
  const kb = Object.keys(b as PlainObject);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual((a as PlainObject)[k], (b as PlainObject)[k]));
}
