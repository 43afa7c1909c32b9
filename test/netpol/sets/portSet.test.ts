import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConnectionSet, PROTOCOLS, type Protocol } from '../../../src/netpol/sets/connectionSet.js';
import { MAX_PORT, PortSet } from '../../../src/netpol/sets/portSet.js';

/** The naive oracle: a bitmap over every port. */
type Bitmap = Uint8Array;
const bitmap = (): Bitmap => new Uint8Array(MAX_PORT + 1);

// Ports cluster near the ends and around a few values, so ranges touch and overlap often.
const port = fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 65500, max: 65535 }), fc.integer({ min: 1, max: 65535 }));
const range = fc.tuple(port, port).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [number, number]);
const ranges = fc.array(range, { maxLength: 6 });

function build(rs: readonly [number, number][], rule: string): { set: PortSet; bits: Bitmap } {
  const bits = bitmap();
  let set = PortSet.empty();
  for (const [a, b] of rs) {
    set = set.union(PortSet.range(a, b, [rule]));
    bits.fill(1, a, b + 1);
  }
  return { set, bits };
}

function toBits(set: PortSet): Bitmap {
  const bits = bitmap();
  for (const r of set.ranges) bits.fill(1, r.lo, r.hi);
  return bits;
}

function canonical(set: PortSet): boolean {
  return set.ranges.every((r, i) => r.lo >= 1 && r.hi <= MAX_PORT + 1 && r.lo < r.hi && (i === 0 || (set.ranges[i - 1]?.hi ?? 0) <= r.lo));
}

describe('PortSet against a per-port bitmap', () => {
  it('union, intersect and subtract agree with the bitmap, and stay canonical', () => {
    fc.assert(
      fc.property(ranges, ranges, (ra, rb) => {
        const a = build(ra, 'a');
        const b = build(rb, 'b');
        const ops: [PortSet, (x: number, y: number) => number][] = [
          [a.set.union(b.set), (x, y) => x | y],
          [a.set.intersect(b.set), (x, y) => x & y],
          [a.set.subtract(b.set), (x, y) => x & (1 - y)],
        ];
        for (const [result, f] of ops) {
          const want = bitmap();
          for (let p = 1; p <= MAX_PORT; p++) want[p] = f(a.bits[p] as number, b.bits[p] as number);
          expect(canonical(result)).toBe(true);
          expect(Buffer.from(toBits(result)).equals(Buffer.from(want))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records which rules put each port there', () => {
    fc.assert(
      fc.property(ranges, ranges, port, (ra, rb, p) => {
        const a = build(ra, 'a');
        const b = build(rb, 'b');
        const want = [...(a.bits[p] ? ['a'] : []), ...(b.bits[p] ? ['b'] : [])];
        expect([...(a.set.union(b.set).rulesFor(p) ?? [])]).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('prints ranges the way np-guard does', () => {
    expect(PortSet.range(1, 9002).union(PortSet.range(9004, 65535)).toString()).toBe('1-9002,9004-65535');
    expect(PortSet.range(80, 80).union(PortSet.range(81, 81)).toString()).toBe('80-81');
    expect(PortSet.all().isAll()).toBe(true);
    expect(PortSet.range(10, 1).isEmpty()).toBe(true);
  });

  it('keeps named ports as names until they are resolved', () => {
    const named = PortSet.namedPort('http', ['r']).union(PortSet.range(80, 80));
    expect(named.toString()).toBe('80,http');
    expect(named.subtract(PortSet.namedPort('http')).toString()).toBe('80');
    expect(named.intersect(PortSet.namedPort('http')).named.get('http')).toEqual(['r']);
  });
});

describe('ConnectionSet', () => {
  const connections = fc.array(fc.tuple(fc.constantFrom<Protocol>(...PROTOCOLS), range), { maxLength: 5 });
  const build3 = (cs: [Protocol, [number, number]][]): ConnectionSet => cs.reduce((acc, [p, [a, b]]) => acc.union(ConnectionSet.of(p, PortSet.range(a, b))), ConnectionSet.empty());

  it('is per protocol: operations never mix TCP, UDP and SCTP', () => {
    fc.assert(
      fc.property(connections, connections, fc.constantFrom<Protocol>(...PROTOCOLS), port, (ca, cb, proto, p) => {
        const a = build3(ca);
        const b = build3(cb);
        expect(a.union(b).has(proto, p)).toBe(a.has(proto, p) || b.has(proto, p));
        expect(a.intersect(b).has(proto, p)).toBe(a.has(proto, p) && b.has(proto, p));
        expect(a.subtract(b).has(proto, p)).toBe(a.has(proto, p) && !b.has(proto, p));
      }),
      { numRuns: 300 },
    );
  });

  it('prints np-guard spelling: All Connections, or protocols sorted with their ports', () => {
    expect(ConnectionSet.all().toString()).toBe('All Connections');
    const s = ConnectionSet.all().subtract(ConnectionSet.of('TCP', PortSet.range(80, 80))).subtract(ConnectionSet.of('UDP', PortSet.range(53, 53))).subtract(ConnectionSet.of('SCTP', PortSet.range(9003, 9003)));
    expect(s.toString()).toBe('SCTP 1-9002,9004-65535,TCP 1-79,81-65535,UDP 1-52,54-65535');
    expect(ConnectionSet.of('UDP', PortSet.range(53, 53)).union(ConnectionSet.of('TCP', PortSet.all())).toString()).toBe('TCP 1-65535,UDP 53');
  });
});
