import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeToken, joinPointer, pointerTokens } from '../../src/core/pointer.js';

// The fast path of escapeToken/joinPointer against RFC 6901's plain definition.
const naiveEscape = (token: string | number): string => String(token).replace(/~/g, '~0').replace(/\//g, '~1');
const token = fc.oneof(fc.integer({ min: 0, max: 99 }), fc.string({ maxLength: 6 }), fc.constantFrom('~', '/', '~1', '~0', 'a/b~c', ''));

describe('JSON pointer escaping', () => {
  it('escapes as RFC 6901 says and round-trips through pointerTokens', () => {
    fc.assert(
      fc.property(fc.constantFrom('', '/spec', '/a~1b'), fc.array(token, { maxLength: 5 }), (base, tokens) => {
        for (const t of tokens) expect(escapeToken(t)).toBe(naiveEscape(t));
        const pointer = joinPointer(base, ...tokens);
        expect(pointer).toBe(base + tokens.map((t) => '/' + naiveEscape(t)).join(''));
        expect(pointerTokens(pointer).slice(pointerTokens(base).length)).toEqual(tokens.map(String));
      }),
      { numRuns: 300 },
    );
  });
});
