import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { skipJsonString, skipJsonValue } from '../../src/core/load/jsonScan.js';

/** Strings with the characters that make a scan go wrong: quotes, backslashes, brackets. */
const tricky = fc.string({ unit: fc.constantFrom('"', '\\', '{', '}', '[', ']', ',', ' ', 'a', '\n', 'é') });
const value = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    tricky,
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(tricky, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('skipJsonValue', () => {
  it('ends where the value JSON.stringify wrote ends, whatever follows it', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3 }), value, fc.constantFrom('', ',', ' ]', '}{"a":1}', '\n'), (before, v, after) => {
        const json = JSON.stringify(v);
        const text = before + json + after;
        expect(skipJsonValue(text, before.length)).toBe(before.length + json.length);
      }),
    );
  });

  it('reports an object, array or string cut before its end as unclosed (-1)', () => {
    fc.assert(
      fc.property(value, fc.nat(), (v, cut) => {
        const json = JSON.stringify(v);
        fc.pre(/^[[{"]/.test(json));
        const end = cut % json.length; // stops before the closing character
        expect(skipJsonValue(json + '}]"', 0, end)).toBe(-1);
      }),
    );
  });
});

describe('skipJsonString', () => {
  it('counts the backslashes before a quote', () => {
    expect(skipJsonString('"a\\"b"', 0)).toBe(6);
    expect(skipJsonString('"a\\\\"b"', 0)).toBe(5);
    expect(skipJsonString('"a\\"', 0)).toBe(-1);
    expect(skipJsonString('"ab"', 0, 3)).toBe(-1);
  });
});
