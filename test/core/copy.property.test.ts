import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { copyData } from '../../src/core/copy.js';

describe('copyData (structuredClone made in JavaScript for plain data)', () => {
  // No "constructor" keys: toStrictEqual reads an own constructor member as the object's type.
  const options = { key: fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('__proto__', '0', '10')).filter((k) => k !== 'constructor'), maxDepth: 4, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true, withTypedArray: true };

  it('gives what structuredClone gives, for any cloneable value', () => {
    fc.assert(
      fc.property(fc.anything(options), (value) => {
        const copied = copyData(value);
        expect(copied).toStrictEqual(structuredClone(value));
        // Same own keys in the same order, at the top and one level down.
        if (value !== null && typeof value === 'object') {
          expect(Reflect.ownKeys(copied as object)).toEqual(Reflect.ownKeys(structuredClone(value)));
          if (value !== copied) expect(copied).not.toBe(value);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('keeps an own __proto__ member a member, undefined members, shared and circular references, and reads getters', () => {
    const proto = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copiedProto = copyData(proto);
    expect(Object.getPrototypeOf(copiedProto)).toBe(Object.prototype);
    expect(Object.keys(copiedProto)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const shared = { labels: { app: 'x' } };
    const circular: Record<string, unknown> = { name: 'c', list: [shared, shared], missing: undefined };
    circular.self = circular;
    let reads = 0;
    Object.defineProperty(circular, 'lazy', { enumerable: true, get: () => ++reads });
    const copied = copyData(circular);
    expect(copied.self).toBe(copied);
    const list = copied.list as unknown[];
    expect(list[0]).toBe(list[1]);
    expect(list[0]).not.toBe(shared);
    expect('missing' in copied).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copied, 'lazy')).toEqual({ value: 1, writable: true, enumerable: true, configurable: true });
    expect(reads).toBe(1);
  });
});
