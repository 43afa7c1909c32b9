import { combine, coverage, isSubset, type IntervalList, type Rules } from './intervals.js';

export type IpFamily = 4 | 6;

const WIDTH: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** One past the last address of a family. */
export function familyEnd(family: IpFamily): bigint {
  return 1n << BigInt(WIDTH[family]);
}

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
    return other.family === this.family && isSubset(other.ranges, this.ranges);
  }

  /** Maximal contiguous pieces, inclusive, rules ignored. */
  pieces(): { first: bigint; last: bigint }[] {
    return coverage(this.ranges).map(({ lo, hi }) => ({ first: lo, last: hi - 1n }));
  }

  /** `a-b` per contiguous piece, the way np-guard names an external peer. */
  toString(): string {
    return this.pieces()
      .map(({ first, last }) => `${formatAddress(this.family, first)}-${formatAddress(this.family, last)}`)
      .join(',');
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
  for (const set of sets) for (const { lo, hi } of coverage(set.ranges)) cuts.add(lo).add(hi);
  const sorted = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: IpSet[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) out.push(new IpSet(family, [{ lo: sorted[i] as bigint, hi: sorted[i + 1] as bigint, rules: [] }]));
  return out;
}
