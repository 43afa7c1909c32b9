import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InternPool, TtlCache } from '../../src/admission/cache.js';

/**
 * The decision cache is bounded by entries and by bytes: whatever is set, it never holds more than
 * either bound, and it drops the oldest first. The oracle is a plain list in insertion order.
 */
describe('TtlCache bounds', () => {
  it('holds what a naive insertion-ordered list holds, within both bounds', () => {
    const op = fc.oneof(
      fc.record({ set: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), bytes: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ get: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 100 }), fc.array(op, { maxLength: 40 }), (maxEntries, maxBytes, ops) => {
        const cache = new TtlCache<number>(60_000, () => 0, { maxEntries, maxBytes, weigh: (_key, value) => value });
        let model: Array<[string, number]> = [];
        for (const o of ops) {
          if ('set' in o) {
            cache.set(o.set, o.bytes);
            if (o.bytes > maxBytes) continue;
            model = model.filter(([k]) => k !== o.set);
            while (model.length > 0 && (model.length >= maxEntries || model.reduce((n, [, b]) => n + b, 0) + o.bytes > maxBytes)) model.shift();
            model.push([o.set, o.bytes]);
          } else {
            expect(cache.get(o.get)).toBe(model.find(([k]) => k === o.get)?.[1]);
          }
          expect(cache.size).toBe(model.length);
          expect(cache.bytes).toBe(model.reduce((n, [, b]) => n + b, 0));
          expect(cache.size).toBeLessThanOrEqual(maxEntries);
          expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the bytes of entries that expire', () => {
    let now = 0;
    const cache = new TtlCache<string>(1000, () => now, { maxBytes: 100, weigh: (key, value) => key.length + value.length });
    cache.set('k1', 'v'.repeat(40));
    cache.set('k2', 'v'.repeat(40));
    expect([cache.size, cache.bytes]).toEqual([2, 84]);
    now = 1000;
    expect(cache.get('k1')).toBeUndefined();
    expect([cache.size, cache.bytes]).toEqual([1, 42]);
    cache.set('k3', 'v'.repeat(50));
    expect([cache.size, cache.bytes]).toEqual([2, 94]);
    cache.set('k4', 'v'.repeat(200)); // larger than the whole budget: not held, nothing evicted for it
    expect([cache.size, cache.bytes, cache.get('k4')]).toEqual([2, 94, undefined]);
  });
});

describe('TtlCache onDelete', () => {
  it('is told of every entry that leaves, once, whether it expired, was replaced or was evicted; set says whether it holds the value', () => {
    const op = fc.oneof(
      fc.record({ set: fc.constantFrom('a', 'b', 'c', 'd'), bytes: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ get: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ advance: fc.integer({ min: 0, max: 700 }) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 100 }), fc.array(op, { maxLength: 40 }), (maxEntries, maxBytes, ops) => {
        let now = 0;
        const left: number[] = [];
        const cache = new TtlCache<{ id: number; bytes: number }>(1000, () => now, { maxEntries, maxBytes, weigh: (_key, value) => value.bytes, onDelete: (_key, value) => left.push(value.id) });
        const held = new Set<number>();
        let id = 0;
        for (const o of ops) {
          if ('set' in o) {
            const value = { id: ++id, bytes: o.bytes };
            const kept = cache.set(o.set, value);
            expect(kept).toBe(o.bytes <= maxBytes);
            if (kept) held.add(value.id);
          } else if ('get' in o) {
            const value = cache.get(o.get);
            if (value) expect(held.has(value.id) && !left.includes(value.id)).toBe(true);
          } else {
            now += o.advance;
          }
          // Every id handed out is either still held or was reported gone, never both, never twice.
          expect(new Set(left).size).toBe(left.length);
          for (const gone of left) expect(held.has(gone)).toBe(true);
          expect(held.size - left.length).toBe(cache.size);
        }
        for (const key of ['a', 'b', 'c', 'd']) cache.get(key);
        now += 1000;
        for (const key of ['a', 'b', 'c', 'd']) expect(cache.get(key)).toBeUndefined();
        expect(cache.size).toBe(0);
        expect([...left].sort((x, y) => x - y)).toEqual([...held].sort((x, y) => x - y));
      }),
      { numRuns: 300 },
    );
  });
});

describe('InternPool', () => {
  it('hands out one value per key while it has holders, as a count per key says', () => {
    const op = fc.oneof(
      fc.record({ intern: fc.constantFrom('x', 'y', 'z'), variant: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ release: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const pool = new InternPool<{ key: string; variant: number; n: number }>();
        const holders: Array<{ key: string; value: { key: string; variant: number; n: number } }> = [];
        const model = new Map<string, { value: { key: string; variant: number; n: number }; count: number }>();
        let n = 0;
        for (const o of ops) {
          if ('intern' in o) {
            const offered = { key: o.intern, variant: o.variant, n: ++n };
            const got = pool.intern(o.intern, offered, (a, b) => a.variant === b.variant);
            const pooled = model.get(o.intern);
            if (!pooled) {
              expect(got).toBe(offered);
              model.set(o.intern, { value: offered, count: 1 });
            } else if (pooled.value.variant === o.variant) {
              expect(got).toBe(pooled.value);
              pooled.count++;
            } else {
              expect(got).toBe(offered); // differs from the pooled one: not shared
            }
            holders.push({ key: o.intern, value: got });
          } else if (holders.length > 0) {
            const [holder] = holders.splice(o.release % holders.length, 1);
            pool.release(holder!.key, holder!.value);
            const pooled = model.get(holder!.key);
            if (pooled && pooled.value === holder!.value && --pooled.count === 0) model.delete(holder!.key);
          }
          expect(pool.size).toBe(model.size);
        }
        for (const holder of holders.splice(0)) pool.release(holder.key, holder.value);
        expect(pool.size).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
