/**
 * Canonical interval lists: sorted, disjoint, half-open `[lo, hi)` intervals, each labelled with the
 * sorted ids of the rules that put it there (style.md rule 10). Half-open bounds need only
 * comparisons, so one implementation serves ports (number) and IPv4/IPv6 addresses (bigint).
 */

export type Bound = number | bigint;

/** Sorted, de-duplicated rule ids. */
export type Rules = readonly string[];

export interface Interval<T extends Bound> {
  readonly lo: T;
  /** Exclusive. */
  readonly hi: T;
  readonly rules: Rules;
}

export type IntervalList<T extends Bound> = readonly Interval<T>[];

export function mergeRules(a: Rules, b: Rules): Rules {
  if (a.length === 0) return b;
  if (b.length === 0 || a === b) return a;
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    if (y === undefined || (x !== undefined && x < y)) {
      out.push(x as string);
      i++;
    } else if (x === undefined || y < x) {
      out.push(y);
      j++;
    } else {
      out.push(x);
      i++;
      j++;
    }
  }
  return out;
}

function sameRules(a: Rules, b: Rules): boolean {
  return a === b || (a.length === b.length && a.every((r, i) => r === b[i]));
}

type Op = 'union' | 'intersect' | 'subtract';

/**
 * One sweep over both lists' boundaries. Each elementary segment is kept or dropped by `op`; a kept
 * segment's rules are the union of the rules of the sides that contain it (for subtract: the left's).
 * Neighbours with equal rules are merged, so equal sets have equal lists.
 */
export function combine<T extends Bound>(a: IntervalList<T>, b: IntervalList<T>, op: Op): Interval<T>[] {
  if (op === 'union' && b.length === 0) return [...a];
  if (op === 'union' && a.length === 0) return [...b];
  if (op !== 'union' && (a.length === 0 || (op === 'intersect' && b.length === 0))) return op === 'subtract' ? [...a] : [];
  if (op === 'subtract' && b.length === 0) return [...a];
  const points: T[] = [];
  for (const list of [a, b]) for (const { lo, hi } of list) points.push(lo, hi);
  points.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: Interval<T>[] = [];
  let ia = 0;
  let ib = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const lo = points[k] as T;
    const hi = points[k + 1] as T;
    if (!(lo < hi)) continue;
    while (ia < a.length && !((a[ia] as Interval<T>).hi > lo)) ia++;
    while (ib < b.length && !((b[ib] as Interval<T>).hi > lo)) ib++;
    const inA = ia < a.length && (a[ia] as Interval<T>).lo <= lo ? (a[ia] as Interval<T>) : undefined;
    const inB = ib < b.length && (b[ib] as Interval<T>).lo <= lo ? (b[ib] as Interval<T>) : undefined;
    let rules: Rules | undefined;
    if (op === 'union' && (inA || inB)) rules = mergeRules(inA?.rules ?? [], inB?.rules ?? []);
    else if (op === 'intersect' && inA && inB) rules = mergeRules(inA.rules, inB.rules);
    else if (op === 'subtract' && inA && !inB) rules = inA.rules;
    if (rules) push(out, { lo, hi, rules });
  }
  return out;
}

function push<T extends Bound>(out: Interval<T>[], next: Interval<T>): void {
  const last = out[out.length - 1];
  if (last && last.hi === next.lo && sameRules(last.rules, next.rules)) out[out.length - 1] = { lo: last.lo, hi: next.hi, rules: last.rules };
  else out.push(next);
}

/** Builds a canonical list from intervals in any order, overlapping or not. */
export function fromIntervals<T extends Bound>(intervals: Iterable<Interval<T>>): Interval<T>[] {
  let out: Interval<T>[] = [];
  for (const interval of intervals) if (interval.lo < interval.hi) out = combine(out, [interval], 'union');
  return out;
}

/** The covered ranges with rules ignored, adjacent ranges merged: what printing and equality use. */
export function coverage<T extends Bound>(list: IntervalList<T>): { lo: T; hi: T }[] {
  const out: { lo: T; hi: T }[] = [];
  for (const { lo, hi } of list) {
    const last = out[out.length - 1];
    if (last && last.hi === lo) last.hi = hi;
    else out.push({ lo, hi });
  }
  return out;
}

export function sameCoverage<T extends Bound>(a: IntervalList<T>, b: IntervalList<T>): boolean {
  const x = coverage(a);
  const y = coverage(b);
  return x.length === y.length && x.every((r, i) => r.lo === y[i]?.lo && r.hi === y[i]?.hi);
}

export function containsPoint<T extends Bound>(list: IntervalList<T>, point: T): Interval<T> | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = list[mid] as Interval<T>;
    if (point < it.lo) hi = mid - 1;
    else if (!(point < it.hi)) lo = mid + 1;
    else return it;
  }
  return undefined;
}

/** Is every point of `inner` inside `outer`? One binary search per inner interval. */
export function isSubset<T extends Bound>(inner: IntervalList<T>, outer: IntervalList<T>): boolean {
  return isCovered(inner, coverage(outer));
}

/** isSubset() against an outer list already merged by coverage(). */
export function isCovered<T extends Bound>(inner: IntervalList<T>, merged: readonly { lo: T; hi: T }[]): boolean {
  return inner.every(({ lo, hi }) => {
    let a = 0;
    let b = merged.length - 1;
    while (a <= b) {
      const mid = (a + b) >> 1;
      const it = merged[mid] as { lo: T; hi: T };
      if (lo < it.lo) b = mid - 1;
      else if (!(lo < it.hi)) a = mid + 1;
      else return !(it.hi < hi);
    }
    return false;
  });
}
