import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/admission/cache.js';

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
