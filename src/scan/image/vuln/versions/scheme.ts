/** How one ecosystem orders its versions. `compare` is only called on versions `valid` accepts. */
export interface VersionScheme {
  name: string;
  valid(version: string): boolean;
  /** Negative, zero or positive, like Array.prototype.sort. */
  compare(a: string, b: string): number;
}

/** Compare two digit strings as numbers of any length (no overflow). */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

const CACHE_LIMIT = 200_000;

/**
 * The same ordering with answers remembered: matching compares the installed version against
 * the same few range bounds thousands of times. The caches are emptied when they grow past a
 * bound, so a long-running process does not keep every version it ever saw.
 */
export function memoized(scheme: VersionScheme): VersionScheme {
  const valid = new Map<string, boolean>();
  const compared = new Map<string, number>();
  return {
    name: scheme.name,
    valid(version) {
      let answer = valid.get(version);
      if (answer === undefined) {
        if (valid.size >= CACHE_LIMIT) valid.clear();
        answer = scheme.valid(version);
        valid.set(version, answer);
      }
      return answer;
    },
    compare(a, b) {
      const key = `${a}\u0000${b}`;
      let answer = compared.get(key);
      if (answer === undefined) {
        if (compared.size >= CACHE_LIMIT) compared.clear();
        answer = scheme.compare(a, b);
        compared.set(key, answer);
      }
      return answer;
    },
  };
}
