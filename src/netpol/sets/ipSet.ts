import { combine, coverage, isCovered, type IntervalList, type Rules } from './intervals.js';

export type IpFamily = 4 | 6;

const WIDTH: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** One past the last address of a family. */
export function familyEnd(family: IpFamily): bigint {
  return 1n << BigInt(WIDTH[family]);
}

const COVERAGE = new WeakMap<IpSet, readonly { lo: bigint; hi: bigint }[]>();
const TEXT = new WeakMap<IpSet, string>();

/** A set of addresses of one family as canonical half-open bigint intervals that record their rules. */
export class IpSet {
  constructor(
    readonly family: IpFamily,
    readonly ranges: IntervalList<bigint>,
  ) {}

  static all(family: IpFamily, rules: Rules = []): IpSet {
    return new IpSet(family, [{ lo: 0n, hi: familyEnd(family), rules }]);
  }

  static empty(family: IpFamily): IpSet {
    return new IpSet(family, []);
  }

  /** Inclusive first..last addresses. */
  static range(family: IpFamily, first: bigint, last: bigint, rules: Rules = []): IpSet {
    return new IpSet(family, first <= last ? [{ lo: first, hi: last + 1n, rules }] : []);
  }

  isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  union(other: IpSet): IpSet {
    return new IpSet(this.family, combine(this.ranges, other.ranges, 'union'));
  }

  intersect(other: IpSet): IpSet {
    return new IpSet(this.family, combine(this.ranges, other.ranges, 'intersect'));
  }

  subtract(other: IpSet): IpSet {
    return new IpSet(this.family, combine(this.ranges, other.ranges, 'subtract'));
  }

  contains(other: IpSet): boolean {
    return other.family === this.family && isCovered(other.ranges, this.covered());
  }

  /** Computed once per set (kept beside it, so sets still compare by their fields): a rule's ipBlock is asked about every address slice of the cluster. */
  private covered(): readonly { lo: bigint; hi: bigint }[] {
    let merged = COVERAGE.get(this);
    if (!merged) COVERAGE.set(this, (merged = coverage(this.ranges)));
    return merged;
  }

  /** Maximal contiguous pieces, inclusive, rules ignored. */
  pieces(): { first: bigint; last: bigint }[] {
    return this.covered().map(({ lo, hi }) => ({ first: lo, last: hi - 1n }));
  }

  /** `a-b` per contiguous piece, the way np-guard names an external peer. */
  toString(): string {
    let text = TEXT.get(this);
    if (text === undefined) {
      text = this.pieces()
        .map(({ first, last }) => `${formatAddress(this.family, first)}-${formatAddress(this.family, last)}`)
        .join(',');
      TEXT.set(this, text);
    }
    return text;
  }
}

export interface ParsedCidr {
  family: IpFamily;
  first: bigint;
  last: bigint;
}

/**
 * Parses `a.b.c.d/n` or an IPv6 `x:y::z/n` the way Go's net.ParseCIDR does (host bits are masked
 * off). Returns undefined for anything else.
 */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = parseAddress(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const width = WIDTH[address.family];
  if (prefix > width) return undefined;
  const hostBits = BigInt(width - prefix);
  const first = (address.value >> hostBits) << hostBits;
  return { family: address.family, first, last: first + (1n << hostBits) - 1n };
}

export function parseAddress(text: string): { family: IpFamily; value: bigint } | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    // Go rejects leading zeros ("010") as ambiguous octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tail = '';
  const gap = text.indexOf('::');
  if (gap >= 0) {
    if (text.indexOf('::', gap + 1) >= 0) return undefined;
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const groups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const out: bigint[] = [];
    const parts = s.split(':');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) out.push(BigInt(`0x${part}`));
      else return undefined;
    }
    return out;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return undefined;
  const missing = 8 - h.length - t.length;
  if (gap < 0 ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const g of [...h, ...new Array<bigint>(gap < 0 ? 0 : missing).fill(0n), ...t]) value = (value << 16n) | g;
  return value;
}

export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
  const groups = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((value >> s) & 0xffffn).toString(16));
  // RFC 5952: compress the longest run of two or more zero groups.
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  if (best < 0) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`;
}

/**
 * np-guard's IP atoms: the partition of the whole family by the start and end+1 of every contiguous
 * piece of the given sets. A family with no sets has one atom, the whole space.
 */
export function atoms(family: IpFamily, sets: readonly IpSet[]): IpSet[] {
  const end = familyEnd(family);
  const cuts = new Set<bigint>([0n, end]);
  for (const set of sets) for (const { first, last } of set.pieces()) cuts.add(first).add(last + 1n);
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpSet[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) out.push(new IpSet(family, [{ lo: sorted[i] as bigint, hi: sorted[i + 1] as bigint, rules: [] }]));
  return out;
}

/** One item of a compact address set: a CIDR and the CIDRs inside it that are not in the set. */
export interface CidrItem {
  cidr: string;
  except?: string[];
}

type Shape = { kind: 'full' } | { kind: 'empty' } | { kind: 'partial'; left: Shape; right: Shape; holes: number; cost: number; split: boolean };

const FULL: Shape = { kind: 'full' };
const EMPTY: Shape = { kind: 'empty' };

/**
 * The set as CIDRs with excepts, the way policies write it (`0.0.0.0/0` except a hundred `/32`s),
 * never as the slices between the excepts. On the binary prefix tree, each block is written either
 * as the items of its two halves or as itself minus the CIDRs of its holes, whichever takes fewer
 * CIDRs (ties: the block with excepts, as people write a wide allow). Only blocks that a range boundary crosses are visited: O(ranges × width).
 */
export function cidrItems(set: IpSet): CidrItem[] {
  const width = WIDTH[set.family];
  const ranges = coverage(set.ranges);
  const shape = (base: bigint, bits: number, list: readonly { lo: bigint; hi: bigint }[]): Shape => {
    const end = base + (1n << BigInt(bits));
    if (list.length === 0) return EMPTY;
    const first = list[0] as { lo: bigint; hi: bigint };
    if (first.lo <= base && first.hi >= end) return FULL;
    const mid = base + (1n << BigInt(bits - 1));
    const left = shape(base, bits - 1, list.filter((r) => r.lo < mid));
    const right = shape(mid, bits - 1, list.filter((r) => r.hi > mid));
    const holes = holesOf(left) + holesOf(right);
    const asHalves = costOf(left) + costOf(right);
    return { kind: 'partial', left, right, holes, cost: Math.min(asHalves, 1 + holes), split: asHalves < 1 + holes };
  };
  const root = shape(0n, width, ranges);
  const cidr = (base: bigint, bits: number): string => `${formatAddress(set.family, base)}/${width - bits}`;
  const holes = (s: Shape, base: bigint, bits: number, out: string[]): void => {
    if (s.kind === 'empty') out.push(cidr(base, bits));
    else if (s.kind === 'partial') {
      holes(s.left, base, bits - 1, out);
      holes(s.right, base + (1n << BigInt(bits - 1)), bits - 1, out);
    }
  };
  const items = (s: Shape, base: bigint, bits: number, out: CidrItem[]): void => {
    if (s.kind === 'full') out.push({ cidr: cidr(base, bits) });
    else if (s.kind === 'partial' && s.split) {
      items(s.left, base, bits - 1, out);
      items(s.right, base + (1n << BigInt(bits - 1)), bits - 1, out);
    } else if (s.kind === 'partial') {
      const except: string[] = [];
      holes(s, base, bits, except);
      out.push({ cidr: cidr(base, bits), except });
    }
  };
  const out: CidrItem[] = [];
  items(root, 0n, width, out);
  return out;
}

function holesOf(s: Shape): number {
  return s.kind === 'full' ? 0 : s.kind === 'empty' ? 1 : s.holes;
}

function costOf(s: Shape): number {
  return s.kind === 'full' ? 1 : s.kind === 'empty' ? 0 : s.cost;
}

/** `cidr except e1, e2` items joined by `; ` (commas separate the excepts of one item). */
export function cidrText(items: readonly CidrItem[]): string {
  return items.map((i) => (i.except ? `${i.cidr} except ${i.except.join(', ')}` : i.cidr)).join('; ');
}
