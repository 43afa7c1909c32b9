import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atoms, formatAddress, IpSet, parseAddress, parseCidr } from '../../../src/netpol/sets/ipSet.js';

/** The naive oracle works on a small IPv4 corner: every address of 10.0.0.0/24 as one bit. */
const BASE = 0x0a000000n;
const cidrIn24 = fc.integer({ min: 24, max: 32 }).chain((prefix) => fc.integer({ min: 0, max: 255 }).map((host) => `10.0.0.${host}/${prefix}`));

function set(cidr: string): IpSet {
  const c = parseCidr(cidr);
  if (!c) throw new Error(cidr);
  return IpSet.range(c.family, c.first, c.last);
}

function bits(cidrs: readonly string[]): boolean[] {
  const out = new Array<boolean>(256).fill(false);
  for (const cidr of cidrs) {
    const c = parseCidr(cidr);
    if (!c) continue;
    for (let a = c.first; a <= c.last; a++) out[Number(a - BASE)] = true;
  }
  return out;
}

function has(s: IpSet, i: number): boolean {
  return s.ranges.some((r) => BASE + BigInt(i) >= r.lo && BASE + BigInt(i) < r.hi);
}

describe('IpSet against a per-address oracle', () => {
  it('ipBlock cidr minus except is cut exactly', () => {
    fc.assert(
      fc.property(cidrIn24, fc.array(cidrIn24, { maxLength: 4 }), (cidr, excepts) => {
        let block = set(cidr);
        for (const e of excepts) block = block.subtract(set(e));
        const inside = bits([cidr]);
        const cut = bits(excepts);
        for (let i = 0; i < 256; i++) expect(has(block, i)).toBe(inside[i] === true && cut[i] !== true);
      }),
      { numRuns: 200 },
    );
  });

  it('atoms partition the space and never straddle a block boundary', () => {
    fc.assert(
      fc.property(fc.array(cidrIn24, { minLength: 1, maxLength: 5 }), (cidrs) => {
        const blocks = cidrs.map(set);
        const parts = atoms(4, blocks);
        expect(parts[0]?.ranges[0]?.lo).toBe(0n);
        expect(parts.at(-1)?.ranges[0]?.hi).toBe(1n << 32n);
        for (let i = 1; i < parts.length; i++) expect(parts[i]?.ranges[0]?.lo).toBe(parts[i - 1]?.ranges[0]?.hi);
        for (const atom of parts) for (const block of blocks) expect(block.contains(atom) || block.intersect(atom).isEmpty()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('names ranges like np-guard, for the README example', () => {
    const block = set('10.0.0.0/8').subtract(set('10.10.0.0/16'));
    expect(atoms(4, [block]).map(String)).toEqual(['0.0.0.0-9.255.255.255', '10.0.0.0-10.9.255.255', '10.10.0.0-10.10.255.255', '10.11.0.0-10.255.255.255', '11.0.0.0-255.255.255.255']);
    expect(atoms(4, []).map(String)).toEqual(['0.0.0.0-255.255.255.255']);
  });

  it('parses like Go net.ParseCIDR, IPv6 included', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, first: 0x0a000000n, last: 0x0affffffn });
    expect(parseCidr('zc00::/8')).toBeUndefined();
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('010.0.0.0/8')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    const v6 = parseCidr('fd00::/8');
    expect(v6?.family).toBe(6);
    expect(formatAddress(6, v6?.first ?? 0n)).toBe('fd00::');
    expect(formatAddress(6, v6?.last ?? 0n)).toBe('fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(parseAddress('::ffff:1.2.3.4')?.value).toBe(0xffff01020304n);
    expect(formatAddress(6, 1n)).toBe('::1');
  });
});
