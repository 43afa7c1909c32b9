/**
 * `structuredClone` for the plain data an audit keeps per pod and per finding (summaries, peers,
 * deferred reports): the same copy — own enumerable properties read through their getters,
 * shared and circular references kept shared, undefined members kept — made in JavaScript, which
 * is several times faster for small objects than the serializer round trip (issue 23: an audit
 * makes one per pod spec and per deferred finding). Anything but arrays without holes and objects
 * whose prototype is Object.prototype or null (a Map, a Date, a class instance) goes to
 * structuredClone itself, so the result is always what structuredClone gives; strings are not
 * copied (the callers keep the files' texts anyway).
 */
export function copyData<T>(value: T): T {
  return copy(value, new Map()) as T;
}

function copy(value: unknown, seen: Map<object, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  const known = seen.get(value);
  if (known !== undefined) return known;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype || Object.keys(value).length !== value.length) return cloneWhole(value, seen);
    const out: unknown[] = new Array(value.length);
    seen.set(value, out);
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], seen);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return cloneWhole(value, seen);
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const key of Object.keys(value)) {
    const item = copy((value as Record<string, unknown>)[key], seen);
    // An own "__proto__" (JSON.parse makes one) stays a property, as structuredClone keeps it.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, writable: true, enumerable: true, configurable: true });
    else out[key] = item;
  }
  return out;
}

/** structuredClone for what the fast copy does not make; alone, so it never meets a value already copied. */
function cloneWhole(value: object, seen: Map<object, unknown>): unknown {
  const out = structuredClone(value);
  seen.set(value, out);
  return out;
}
