import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/core/rule.js';

// formatMessage splits each template once and reuses the parts; the oracle is the plain regex
// replace it stands for: `{name}` becomes data.name, unknown placeholders stay as written.
const oracle = (template: string, data: Record<string, string | number>): string => template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));

const piece = fc.oneof(fc.constantFrom('{a}', '{b}', '{long_name}', '{', '}', '{}', '{a b}', '{{a}}', '$&', '$1', 'x', ' ', '"'), fc.string({ maxLength: 4 }));
const template = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
const data = fc.dictionary(fc.constantFrom('a', 'b', 'long_name', 'c'), fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constantFrom('$&', '{a}')), { maxKeys: 3 });

describe('formatMessage', () => {
  it('fills placeholders exactly as the regex replace does, the second time too', () => {
    fc.assert(
      fc.property(template, data, data, (text, first, second) => {
        const rule = { id: 'R', messages: { m: text } };
        expect(formatMessage(rule, 'm', first)).toBe(oracle(text, first));
        expect(formatMessage(rule, 'm', second)).toBe(oracle(text, second));
      }),
      { numRuns: 500 },
    );
  });

  it('names the rule and message when the message does not exist', () => {
    expect(() => formatMessage({ id: 'R', messages: {} }, 'gone')).toThrow('rule R has no message "gone"');
    expect(formatMessage({ id: 'R', messages: { m: 'container "{container}" at {path} {missing}' } }, 'm', { container: 'c', path: 3 })).toBe('container "c" at 3 {missing}');
  });
});
