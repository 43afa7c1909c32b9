/** Structural mutations of JSON values shared by the RBAC, audit-log and admission targets. */

export const NASTY = [null, true, false, 0, -1, 1.5, 2 ** 53 + 1, 1e308, '', ' ', '*', '\u0000', '\uFEFF', 'ä', '../..', 'system:masters', 'system:serviceaccount:kube-system:default', '__proto__', 'constructor', 'toString', [], {}, [null], [{}], { '': '' }];

/** Every (parent, key) slot of a JSON value, to depth 40. */
export function slots(value, out = [], depth = 0) {
  if (depth > 40 || value === null || typeof value !== 'object') return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    out.push([value, key]);
    slots(value[key], out, depth + 1);
  }
  return out;
}

/** A deep value: nested arrays or objects, `depth` levels. */
export function deep(rng, depth) {
  let v = rng.pick(['x', 1, null]);
  for (let i = 0; i < depth; i++) v = rng.chance(0.5) ? [v] : { a: v };
  return v;
}

/** One mutation in place: a nasty value, a wrong type, a dropped key, a huge string or list, deep nesting, a key named `__proto__`. */
export function mutateValue(rng, root, keys = []) {
  const all = slots(root);
  if (all.length === 0) return;
  const [parent, key] = rng.pick(all);
  const value = parent[key];
  switch (rng.int(8)) {
    case 0:
      parent[key] = structuredClone(rng.pick(NASTY));
      break;
    case 1:
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
      break;
    case 2:
      parent[key] = typeof value === 'string' ? [value] : typeof value === 'number' ? String(value) : Array.isArray(value) ? { ...value } : value && typeof value === 'object' ? Object.values(value) : { value };
      break;
    case 3:
      parent[key] = typeof value === 'string' ? value.repeat(1 + rng.pick([2, 1000, 100_000])).slice(0, 1_000_000) : 'x'.repeat(rng.pick([1000, 1_000_000]));
      break;
    case 4:
      parent[key] = Array.isArray(value) && value.length ? Array.from({ length: rng.pick([10, 1000, 20_000]) }, (_, i) => value[i % value.length]) : [value, value];
      break;
    case 5:
      parent[key] = deep(rng, rng.pick([5, 200, 2000]));
      break;
    case 6:
      if (!Array.isArray(parent) && keys.length) parent[rng.pick(keys)] = structuredClone(rng.chance(0.5) ? value : rng.pick(NASTY));
      break;
    default:
      if (typeof value === 'string') parent[key] = rng.chance(0.5) ? value.toUpperCase() : `${value}${rng.pick(['*', '/', ':', '.', ' '])}`;
      else parent[key] = structuredClone(value);
  }
}
