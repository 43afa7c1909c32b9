/**
 * Connection sets of the layered (Calico/Istio/Cilium) engine: unions of cubes over integer
 * dimensions — protocol, source port, destination port, ICMP type, ICMP code, HTTP method, path class,
 * host class, header set. Paths and hosts are finite classes of strings fixed per analysis (see
 * l7Classes.ts); the header dimension is the set of required request headers a request carries, as a
 * bit mask over the headers the policies name (Cilium's L7 `headers`). So every dimension is an
 * interval domain and union, intersection and difference are exact.
 */

/** Inclusive intervals, sorted and disjoint, flattened: [lo0, hi0, lo1, hi1, ...]. */
export type Intervals = readonly number[];

export const DIM = { proto: 0, sport: 1, dport: 2, icmpType: 3, icmpCode: 4, method: 5, path: 6, host: 7, header: 8 } as const;
export const DIM_COUNT = 9;

/** Protocols whose connections carry ports, ICMP types and HTTP (check.py and CONVENTIONS.md use the same). */
export const TCP = 6;
export const UDP = 17;
export const SCTP = 132;
export const ICMP = 1;
export const ICMPV6 = 58;
export const PORT_PROTOCOLS: readonly number[] = [TCP, UDP, SCTP];
export const ICMP_PROTOCOLS: readonly number[] = [ICMP, ICMPV6];

/** The nine methods check.py and Istio know; index 9 stands for every other method. */
export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;
export const OTHER_METHOD = METHODS.length;

export type Cube = readonly Intervals[];

/** The upper bound of each dimension; path and host bounds depend on the analysis. */
export interface Domain {
  readonly max: readonly number[];
  readonly min: readonly number[];
}

/** `headers`: how many distinct request headers the policies name (masks 0 .. 2^headers - 1). */
export function makeDomain(pathClasses: number, hostClasses: number, headers = 0): Domain {
  return { min: [0, 1, 1, 0, 0, 0, 0, 0, 0], max: [255, 65535, 65535, 255, 255, OTHER_METHOD, Math.max(pathClasses - 1, 0), Math.max(hostClasses - 1, 0), 2 ** headers - 1] };
}

export function ivNormalize(raw: readonly (readonly [number, number])[]): Intervals {
  const sorted = raw.filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [a, b] of sorted) {
    const n = out.length;
    if (n > 0 && a <= out[n - 1]! + 1) out[n - 1] = Math.max(out[n - 1]!, b);
    else out.push(a, b);
  }
  return out;
}

export function ivIntersect(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]!, b[j]!);
    const hi = Math.min(a[i + 1]!, b[j + 1]!);
    if (lo <= hi) out.push(lo, hi);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

export function ivSubtract(a: Intervals, b: Intervals): Intervals {
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let lo = a[i]!;
    const hi = a[i + 1]!;
    while (j < b.length && b[j + 1]! < lo) j += 2;
    let k = j;
    while (k < b.length && b[k]! <= hi) {
      if (b[k]! > lo) out.push(lo, b[k]! - 1);
      lo = Math.max(lo, b[k + 1]! + 1);
      k += 2;
    }
    if (lo <= hi) out.push(lo, hi);
  }
  return out;
}

export function ivEqual(a: Intervals, b: Intervals): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function ivContains(a: Intervals, x: number): boolean {
  for (let i = 0; i < a.length; i += 2) if (a[i]! <= x && x <= a[i + 1]!) return true;
  return false;
}

export function ivText(a: Intervals): string {
  const parts: string[] = [];
  for (let i = 0; i < a.length; i += 2) parts.push(a[i] === a[i + 1] ? `${a[i]}` : `${a[i]}-${a[i + 1]}`);
  return parts.join(',');
}

/** An immutable union of cubes over a domain. */
export class ConnSet {
  private constructor(
    readonly domain: Domain,
    readonly cubes: readonly Cube[],
  ) {}

  static empty(domain: Domain): ConnSet {
    return new ConnSet(domain, []);
  }

  static all(domain: Domain): ConnSet {
    return new ConnSet(domain, [fullCube(domain)]);
  }

  /** A cube: the dimensions given are restricted, the others are whole. An empty dimension gives the empty set. */
  static cube(domain: Domain, dims: Partial<Record<keyof typeof DIM, Intervals>>): ConnSet {
    const cube = fullCube(domain).slice();
    for (const [name, iv] of Object.entries(dims) as [keyof typeof DIM, Intervals][]) {
      const d = DIM[name];
      cube[d] = ivIntersect(iv, [domain.min[d]!, domain.max[d]!]);
      if (cube[d]!.length === 0) return ConnSet.empty(domain);
    }
    return new ConnSet(domain, [cube]);
  }

  isEmpty(): boolean {
    return this.cubes.length === 0;
  }

  isAll(): boolean {
    return ConnSet.all(this.domain).subtract(this).isEmpty();
  }

  union(other: ConnSet): ConnSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    // Keep the cubes disjoint: add only what the other set does not already cover.
    return new ConnSet(this.domain, merge([...this.cubes, ...other.subtract(this).cubes]));
  }

  intersect(other: ConnSet): ConnSet {
    const out: Cube[] = [];
    for (const a of this.cubes) {
      for (const b of other.cubes) {
        const c = cubeIntersect(a, b);
        if (c) out.push(c);
      }
    }
    return new ConnSet(this.domain, merge(out));
  }

  subtract(other: ConnSet): ConnSet {
    let current: Cube[] = this.cubes.slice();
    for (const b of other.cubes) {
      const next: Cube[] = [];
      for (const a of current) next.push(...cubeSubtract(a, b));
      current = next;
      if (current.length === 0) break;
    }
    return new ConnSet(this.domain, merge(current));
  }

  equals(other: ConnSet): boolean {
    return this.subtract(other).isEmpty() && other.subtract(this).isEmpty();
  }

  /**
   * The set's cubes in a form that depends on the set alone, not on how it was built: the first
   * dimension is split where the rest of the set changes, each piece (the points with one same rest)
   * is one interval list, and the rest is written the same way, recursively. So two equal sets print
   * the same entries in the same order, whatever order the policies were read in.
   */
  canonicalCubes(): Cube[] {
    // One cube (normalised intervals) is its own canonical form.
    if (this.cubes.length <= 1) return this.cubes.slice();
    return canonicalOf(this.cubes, new Map());
  }

  /** Whether one point (every dimension given) is in the set. */
  contains(point: readonly number[]): boolean {
    return this.cubes.some((c) => c.every((iv, d) => ivContains(iv, point[d]!)));
  }
}

/**
 * Cubes (or their last dimensions), canonical: the elementary pieces of the first dimension (between
 * every bound a cube has there) grouped by the canonical rest, groups in order of their first value.
 * Memoised by the rests' text (the same rest recurs for many pieces).
 */
function canonicalOf(cubes: readonly Cube[], memo: Map<string, Cube[]>): Cube[] {
  if (cubes.length === 0) return [];
  if (cubes[0]!.length === 0) return [[]];
  const dim = 0;
  const bounds = new Set<number>();
  for (const c of cubes) {
    const iv = c[dim]!;
    for (let i = 0; i < iv.length; i += 2) bounds.add(iv[i]!).add(iv[i + 1]! + 1);
  }
  const cuts = [...bounds].sort((a, b) => a - b);
  const groups = new Map<string, { pieces: [number, number][]; rest: Cube[] }>();
  for (let i = 0; i + 1 < cuts.length; i++) {
    const lo = cuts[i]!;
    const holding = cubes.filter((c) => ivContains(c[dim]!, lo));
    if (holding.length === 0) continue;
    const tails = holding.map((c) => c.slice(1));
    const tailKey = cubesKey(tails);
    let rest = memo.get(tailKey);
    if (!rest) memo.set(tailKey, (rest = canonicalOf(tails, memo)));
    const key = cubesKey(rest);
    const group = groups.get(key);
    if (group) group.pieces.push([lo, cuts[i + 1]! - 1]);
    else groups.set(key, { pieces: [[lo, cuts[i + 1]! - 1]], rest });
  }
  const out: Cube[] = [];
  for (const { pieces, rest } of groups.values()) {
    const iv = ivNormalize(pieces);
    for (const tail of rest) out.push([iv, ...tail]);
  }
  return out;
}

const cubesKey = (cubes: readonly Cube[]): string => cubes.map((c) => c.map((iv) => iv.join(',')).join(';')).join('|');

function fullCube(domain: Domain): Intervals[] {
  return domain.max.map((max, d) => [domain.min[d]!, max]);
}

function cubeIntersect(a: Cube, b: Cube): Cube | undefined {
  const out: Intervals[] = [];
  for (let d = 0; d < a.length; d++) {
    const iv = ivIntersect(a[d]!, b[d]!);
    if (iv.length === 0) return undefined;
    out.push(iv);
  }
  return out;
}

/** a − b as disjoint cubes: split along each dimension in turn (protocol first, so entries stay per protocol). */
function cubeSubtract(a: Cube, b: Cube): Cube[] {
  const inter: Intervals[] = [];
  for (let d = 0; d < a.length; d++) {
    const iv = ivIntersect(a[d]!, b[d]!);
    if (iv.length === 0) return [a];
    inter.push(iv);
  }
  const out: Cube[] = [];
  const prefix: Intervals[] = [];
  for (let d = 0; d < a.length; d++) {
    const rest = ivSubtract(a[d]!, b[d]!);
    if (rest.length > 0) out.push([...prefix, rest, ...a.slice(d + 1)]);
    prefix.push(inter[d]!);
  }
  return out;
}

/** Joins cubes equal in every dimension but one (disjoint cubes stay disjoint). */
function merge(cubes: Cube[]): Cube[] {
  if (cubes.length < 2) return cubes;
  let list = cubes;
  for (let changed = true; changed; ) {
    changed = false;
    const out: Cube[] = [];
    const used = new Array<boolean>(list.length).fill(false);
    for (let i = 0; i < list.length; i++) {
      if (used[i]) continue;
      let cur = list[i]!;
      for (let j = i + 1; j < list.length; j++) {
        if (used[j]) continue;
        const other = list[j]!;
        let diff = -1;
        let ok = true;
        for (let d = 0; d < cur.length; d++) {
          if (ivEqual(cur[d]!, other[d]!)) continue;
          if (diff >= 0) {
            ok = false;
            break;
          }
          diff = d;
        }
        if (!ok) continue;
        if (diff < 0) {
          used[j] = true;
          continue;
        }
        const joined = cur.slice();
        joined[diff] = ivNormalize(pairs([...cur[diff]!, ...other[diff]!]));
        cur = joined;
        used[j] = true;
        changed = true;
      }
      out.push(cur);
    }
    list = out;
  }
  return list;
}

function pairs(flat: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}
