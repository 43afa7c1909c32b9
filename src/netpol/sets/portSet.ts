import { combine, containsPoint, coverage, fromIntervals, mergeRules, type IntervalList, type Rules } from './intervals.js';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/**
 * A set of ports of one protocol: canonical intervals over 1–65535 that record their rules, plus
 * named ports kept as names until they are resolved against a destination pod.
 */
export class PortSet {
  private constructor(
    /** Half-open [lo, hi) over MIN_PORT..MAX_PORT+1. */
    readonly ranges: IntervalList<number>,
    readonly named: ReadonlyMap<string, Rules> = new Map(),
  ) {}

  private static readonly EMPTY = new PortSet([]);

  static empty(): PortSet {
    return PortSet.EMPTY;
  }

  static all(rules: Rules = []): PortSet {
    return new PortSet([{ lo: MIN_PORT, hi: MAX_PORT + 1, rules }]);
  }

  /** Inclusive range, as Kubernetes writes it (`port`..`endPort`). */
  static range(start: number, end: number, rules: Rules = []): PortSet {
    const lo = Math.max(start, MIN_PORT);
    const hi = Math.min(end, MAX_PORT) + 1;
    return lo < hi ? new PortSet([{ lo, hi, rules }]) : PortSet.EMPTY;
  }

  static fromPorts(ports: Iterable<number>, rules: Rules = []): PortSet {
    const intervals = [];
    for (const p of ports) if (p >= MIN_PORT && p <= MAX_PORT) intervals.push({ lo: p, hi: p + 1, rules });
    return new PortSet(fromIntervals(intervals));
  }

  static namedPort(name: string, rules: Rules = []): PortSet {
    return new PortSet([], new Map([[name, rules]]));
  }

  isEmpty(): boolean {
    return this.ranges.length === 0 && this.named.size === 0;
  }

  isAll(): boolean {
    const c = coverage(this.ranges);
    return c.length === 1 && c[0]?.lo === MIN_PORT && c[0].hi === MAX_PORT + 1;
  }

  union(other: PortSet): PortSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    return new PortSet(combine(this.ranges, other.ranges, 'union'), mergeNamed(this.named, other.named, 'union'));
  }

  intersect(other: PortSet): PortSet {
    if (this.isEmpty() || other.isEmpty()) return PortSet.EMPTY;
    return new PortSet(combine(this.ranges, other.ranges, 'intersect'), mergeNamed(this.named, other.named, 'intersect'));
  }

  subtract(other: PortSet): PortSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return new PortSet(combine(this.ranges, other.ranges, 'subtract'), mergeNamed(this.named, other.named, 'subtract'));
  }

  /** The rules behind `port`, or undefined when the port is not in the set. */
  rulesFor(port: number): Rules | undefined {
    return containsPoint(this.ranges, port)?.rules;
  }

  has(port: number): boolean {
    return containsPoint(this.ranges, port) !== undefined;
  }

  /** Same ports and names, whatever rules put them there. */
  equals(other: PortSet): boolean {
    const a = coverage(this.ranges);
    const b = coverage(other.ranges);
    if (a.length !== b.length || this.named.size !== other.named.size) return false;
    if (!a.every((r, i) => r.lo === b[i]?.lo && r.hi === b[i]?.hi)) return false;
    return [...this.named.keys()].every((n) => other.named.has(n));
  }

  /** np-guard's spelling: `80,443,8000-8080` (numbers only; names are appended as written). */
  toString(): string {
    const parts = coverage(this.ranges).map(({ lo, hi }) => (hi - 1 === lo ? String(lo) : `${lo}-${hi - 1}`));
    return [...parts, ...[...this.named.keys()].sort()].join(',');
  }
}


function mergeNamed(a: ReadonlyMap<string, Rules>, b: ReadonlyMap<string, Rules>, op: 'union' | 'intersect' | 'subtract'): ReadonlyMap<string, Rules> {
  if (a.size === 0 && b.size === 0) return a;
  const out = new Map<string, Rules>();
  if (op === 'union') {
    for (const [n, r] of a) out.set(n, r);
    for (const [n, r] of b) out.set(n, mergeRules(out.get(n) ?? [], r));
  } else if (op === 'intersect') {
    for (const [n, r] of a) {
      const other = b.get(n);
      if (other) out.set(n, mergeRules(r, other));
    }
  } else {
    for (const [n, r] of a) if (!b.has(n)) out.set(n, r);
  }
  return out;
}
