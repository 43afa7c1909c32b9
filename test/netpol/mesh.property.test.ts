import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalCalicoSelector, parseCalicoSelector, type CalicoSelector } from '../../src/netpol/calico/selector.js';
import { istioMatch, StringClasses } from '../../src/netpol/layers/l7Classes.js';

/** A naive reading of Calico's selector docs, over the printed text's tree (not the parser's). */
function naive(s: CalicoSelector, labels: Record<string, string>): boolean {
  const v = labels[(s as { key?: string }).key ?? ''];
  switch (s.op) {
    case 'all':
      return true;
    case 'global':
      return false;
    case 'has':
      return s.key in labels;
    case 'eq':
      return v !== undefined && v === s.value;
    case 'ne':
      return v === undefined || v !== s.value;
    case 'in':
      return v !== undefined && s.values.includes(v);
    case 'notin':
      return v === undefined || !s.values.includes(v);
    case 'contains':
      return (v ?? '').indexOf(s.value) >= 0;
    case 'starts':
      return (v ?? '').slice(0, s.value.length) === s.value;
    case 'ends':
      return s.value.length === 0 || (v ?? '').slice(-s.value.length) === s.value;
    case 'not':
      return !naive(s.arg, labels);
    case 'and':
      return s.args.every((a) => naive(a, labels));
    case 'or':
      return s.args.some((a) => naive(a, labels));
  }
}

function print(s: CalicoSelector): string {
  switch (s.op) {
    case 'all':
    case 'global':
      return `${s.op}()`;
    case 'has':
      return `has(${s.key})`;
    case 'eq':
      return `${s.key} == '${s.value}'`;
    case 'ne':
      return `${s.key}!="${s.value}"`;
    case 'in':
      return `${s.key} in {${s.values.map((x) => `'${x}'`).join(', ')}}`;
    case 'notin':
      return `${s.key} not in {${s.values.map((x) => `"${x}"`).join(',')}}`;
    case 'contains':
      return `${s.key} contains '${s.value}'`;
    case 'starts':
      return `${s.key} starts with '${s.value}'`;
    case 'ends':
      return `${s.key} ends with '${s.value}'`;
    case 'not':
      return `!(${print(s.arg)})`;
    case 'and':
      return s.args.map((a) => `(${print(a)})`).join(' && ');
    case 'or':
      return s.args.map((a) => `(${print(a)})`).join(' || ');
  }
}

const key = fc.constantFrom('app', 'tier', 'k8s-app', 'example.com/role');
const value = fc.constantFrom('', 'web', 'db', 'web-1', 'a.b');
const leaf: fc.Arbitrary<CalicoSelector> = fc.oneof(
  fc.constant<CalicoSelector>({ op: 'all' }),
  key.map((k): CalicoSelector => ({ op: 'has', key: k })),
  fc.tuple(fc.constantFrom('eq', 'ne', 'contains', 'starts', 'ends') as fc.Arbitrary<'eq' | 'ne' | 'contains' | 'starts' | 'ends'>, key, value).map(([op, k, v]): CalicoSelector => ({ op, key: k, value: v })),
  fc.tuple(fc.constantFrom('in', 'notin') as fc.Arbitrary<'in' | 'notin'>, key, fc.array(value, { minLength: 1, maxLength: 3 })).map(([op, k, vs]): CalicoSelector => ({ op, key: k, values: vs })),
);
const selector = fc.letrec<{ s: CalicoSelector }>((tie) => ({
  s: fc.oneof({ maxDepth: 3, depthIdentifier: 'sel' }, leaf, tie('s').map((a): CalicoSelector => ({ op: 'not', arg: a })), fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and' | 'or'>, fc.array(tie('s'), { minLength: 2, maxLength: 3 })).map(([op, args]): CalicoSelector => ({ op, args }))),
})).s;
const labels = fc.dictionary(key, value, { maxKeys: 4 });

describe('Calico selector language', () => {
  it('parsing the printed expression and evaluating it agrees with a naive interpreter of the tree', () => {
    fc.assert(
      fc.property(selector, labels, (s, l) => {
        expect(evalCalicoSelector(parseCalicoSelector(print(s)), { labels: l, global: false })).toBe(naive(s, l));
      }),
      { numRuns: 300 },
    );
  });

  it('&& binds tighter than ||, and ! applies to the next term', () => {
    const l = { app: 'web' };
    expect(evalCalicoSelector(parseCalicoSelector("has(tier) && has(x) || app == 'web'"), { labels: l, global: false })).toBe(true);
    expect(evalCalicoSelector(parseCalicoSelector("!has(tier) && app == 'db'"), { labels: l, global: false })).toBe(false);
    expect(evalCalicoSelector(parseCalicoSelector("tier != 'x'"), { labels: l, global: false })).toBe(true);
    expect(evalCalicoSelector(parseCalicoSelector("tier not in {'x'}"), { labels: l, global: false })).toBe(true);
  });

  it('refuses malformed expressions with the offset of the problem', () => {
    for (const [text, offset] of [["app == web", 7], ['has(app', 7], ["app === 'x'", 6], ['', 0], ["app in {'a' 'b'}", 12]] as const) {
      expect(() => parseCalicoSelector(text), text).toThrow();
      try {
        parseCalicoSelector(text);
      } catch (e) {
        expect((e as { offset: number }).offset, text).toBe(offset);
      }
    }
  });
});

/** Istio's value matching, read naively from istio.io: exact, "prefix*", "*suffix", "*" = non-empty. */
function naiveIstio(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

describe('Istio path matching', () => {
  const piece = fc.constantFrom('/', 'a', 'b', '/v1', 'models', ':predict', 'iris');
  const text = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
  const pattern = fc.oneof(text, text.map((t) => `${t}*`), text.map((t) => `*${t}`), fc.constant('*'));

  it('matches like the naive matcher', () => {
    fc.assert(
      fc.property(pattern, text, (p, v) => {
        expect(istioMatch(p, v), `${p} ${v}`).toBe(naiveIstio(p, v));
      }),
      { numRuns: 500 },
    );
  });

  it('string classes: a value is in the class of every pattern that matches it, and of no other', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(text.filter((t) => t !== ''), { minLength: 1, maxLength: 6 }), (pats, values) => {
        const classes = new StringClasses(pats, false);
        for (const v of values) {
          const c = classes.classOf(v);
          // Every value has a class: the witnesses cover each combination of patterns a value can match.
          expect(c, v).toBeDefined();
          for (const p of pats) expect(classes.classesOf(p).includes(c!), `${p} ${v}`).toBe(naiveIstio(p, v));
        }
      }),
      { numRuns: 200 },
    );
  });
});
