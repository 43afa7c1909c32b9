import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMessage } from '../../src/core/rule.js';

/** The definition: every `{word}` replaced by the data's value when the data has that key (own or inherited, as `in` says). */
const naive = (template: string, data: Record<string, string | number>): string => template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));

describe('formatMessage (templates split once and cached)', () => {
  const keys = fc.constantFrom('name', 'kind', 'path', 'a', 'x_1', 'constructor', 'toString', '');
  const piece = fc.oneof(
    fc.string({ maxLength: 6 }),
    keys.map((k) => `{${k}}`),
    fc.constantFrom('{', '}', '{{name}}', '{ name}', '{na-me}', '$&', '$1', "$'"),
  );
  const template = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
  const data = fc.dictionary(keys, fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constantFrom('$&', '{name}', '$$')), { maxKeys: 4 });

  it('fills a template as the regular-expression definition does, the first time and from the cache', () => {
    fc.assert(
      fc.property(template, data, data, (t, d1, d2) => {
        const rule = { id: 'R', messages: { m: t } };
        expect(formatMessage(rule, 'm', d1)).toBe(naive(t, d1));
        expect(formatMessage(rule, 'm', d2)).toBe(naive(t, d2));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps unknown placeholders and replacement patterns as written, and names a missing message', () => {
    const rule = { id: 'R', messages: { m: 'image {image} of {container} ($& {unknown})' } };
    expect(formatMessage(rule, 'm', { image: 'a$&b', container: 7 })).toBe('image a$&b of 7 ($& {unknown})');
    expect(() => formatMessage(rule, 'other')).toThrow('rule R has no message "other"');
  });
});
