import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../src/auditlog/filter/ast.js';
import { compileCondition, EvalContext, FieldSlots } from '../../src/auditlog/filter/compile.js';
import { parseCondition } from '../../src/auditlog/filter/parser.js';
import { globMatcher, globToRegExp } from '../../src/auditlog/filter/match.js';
import { K8S_AUDIT_CATALOG, rawTime, type AuditEvent, type FieldValue } from '../../src/auditlog/fields/index.js';
import { isoTime } from '../../src/auditlog/engine.js';

// ----- the oracle: a direct interpreter of the tree, with its own matchers -----

/** fnmatch by backtracking, written apart from the RegExp translation under test. */
function fnmatch(p: string, s: string, fold: boolean): boolean {
  const P = fold ? p.toLowerCase() : p;
  const S = fold ? s.toLowerCase() : s;
  const go = (i: number, j: number): boolean => {
    if (i === P.length) return j === S.length;
    const c = P[i] as string;
    if (c === '*') {
      for (let k = j; k <= S.length; k++) if (go(i + 1, k)) return true;
      return false;
    }
    if (j === S.length) return false;
    if (c === '?') return go(i + 1, j + 1);
    if (c === '\\' && i + 1 < P.length) return P[i + 1] === S[j] && go(i + 2, j + 1);
    if (c === '\\') return S[j] === '\\' && go(i + 1, j + 1);
    if (c === '[') {
      let k = i + 1;
      let neg = false;
      if (P[k] === '!' || P[k] === '^') {
        neg = true;
        k++;
      }
      let matched = false;
      let first = true;
      while (k < P.length && (P[k] !== ']' || first)) {
        first = false;
        let lo = P[k] as string;
        if (lo === '\\' && k + 1 < P.length) lo = P[++k] as string;
        if (P[k + 1] === '-' && P[k + 2] !== undefined && P[k + 2] !== ']') {
          let hi = P[k + 2] as string;
          k += 2;
          if (hi === '\\' && k + 1 < P.length) hi = P[++k] as string;
          if (lo <= (S[j] as string) && (S[j] as string) <= hi) matched = true;
        } else if (lo === S[j]) matched = true;
        k++;
      }
      if (k >= P.length) return c === S[j] && go(i + 1, j + 1);
      return matched !== neg && go(k + 1, j + 1);
    }
    return c === S[j] && go(i + 1, j + 1);
  };
  return go(0, 0);
}

function pmatch(patterns: string[], value: string): boolean {
  const comps = (x: string) => x.split('/').filter(Boolean);
  const v = comps(value);
  return patterns.some((p) => {
    const pc = comps(p);
    return pc.length <= v.length && pc.every((c, i) => (/[*?[]/.test(c) ? fnmatch(c, v[i] as string, false) : c === v[i]));
  });
}

const lower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

function oracle(e: Expr, ev: AuditEvent): boolean {
  switch (e.type) {
    case 'and':
      return e.children.every((c) => oracle(c, ev));
    case 'or':
      return e.children.some((c) => oracle(c, ev));
    case 'not':
      return !oracle(e.child, ev);
    case 'identifier':
      throw new Error('macro left');
    case 'unary':
      return value(e.field.name, e.field.arg, ev) !== undefined;
    case 'binary': {
      const v = value(e.field.name, e.field.arg, ev);
      if (v === undefined) return false;
      const rhs = e.value.type === 'list' ? e.value.values : [e.value.value];
      const one = rhs[0] as string;
      if (typeof v !== 'string') {
        if (e.op === 'in') return v.every((x) => rhs.includes(x));
        return v.some((x) => rhs.includes(x));
      }
      switch (e.op) {
        case '=':
        case '==':
          return v === one;
        case '!=':
          return v !== one;
        case '<':
          return v < one;
        case '<=':
          return v <= one;
        case '>':
          return v > one;
        case '>=':
          return v >= one;
        case 'contains':
          return v.indexOf(one) >= 0;
        case 'icontains':
          return lower(v).indexOf(lower(one)) >= 0;
        case 'startswith':
          return v.slice(0, one.length) === one;
        case 'endswith':
          return one.length <= v.length && v.slice(v.length - one.length) === one;
        case 'glob':
          return fnmatch(one, v, false);
        case 'iglob':
          return fnmatch(one, v, true);
        case 'in':
        case 'intersects':
          return rhs.includes(v);
        case 'pmatch':
          return pmatch(rhs, v);
        default:
          throw new Error(e.op);
      }
    }
  }
}

function value(name: string, arg: string | undefined, ev: AuditEvent): FieldValue {
  const info = K8S_AUDIT_CATALOG.info(name);
  const factory = info ? K8S_AUDIT_CATALOG.extractor(name) : undefined;
  if (!info || !factory) throw new Error(name);
  return factory(arg, info)(ev);
}

// ----- random trees, printed as condition text -----

// One small vocabulary for conditions and events, with case variants and glob characters, so checks often match.
const WORDS = ['alice', 'Alice', 'pods', 'Pods', 'get', 'create', 'ml', '', 'a b', 'x"y', 'p\\q', '/proc', '/proc/1', '/var/run/docker.sock', 'relative/x', '*', 'a*', 'p?ds', '[a-p]*', '[!a]*', '[]p]*', 'nginx', 'reg:5000/a/b', '101', '200', 'ResponseComplete', 'system:masters'];
const word = fc.constantFrom(...WORDS);
/** Short needles for substring operators, in both cases, so case folding is exercised. */
// (No needle ends in a backslash: libsinsp's lexer, like this one, cannot close "...\\" after it.)
const NEEDLES = ['p', 'P', 'a', 'A', 'od', 'OD', 'ce', '/', 'x"', '\\q'];

const SCALAR_FIELDS: Array<[string, string | undefined]> = [
  ['ka.verb', undefined],
  ['ka.user.name', undefined],
  ['ka.target.resource', undefined],
  ['ka.target.namespace', undefined],
  ['ka.target.subresource', undefined],
  ['ka.uri', undefined],
  ['ka.uri.param', 'command'],
  ['ka.response.code', undefined],
  ['ka.req.pod.host_network', undefined],
  ['jevt.value', '/stage'],
  ['jevt.value', '/objectRef/name'],
  ['palisade.user.foreign_sa', undefined],
];
const LIST_FIELDS: Array<[string, string | undefined]> = [
  ['ka.user.groups', undefined],
  ['ka.req.pod.containers.image.repository', undefined],
  ['ka.req.pod.containers.privileged', undefined],
  ['ka.req.pod.volumes.hostpath', undefined],
  ['ka.req.pod.containers.image', '1'],
];
const SCALAR_OPS = ['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'in', 'intersects', 'pmatch', 'exists'];

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const fieldText = (name: string, arg?: string) => (arg === undefined ? name : `${name}[${arg}]`);

const check: fc.Arbitrary<{ text: string; expr: Expr }> = fc.oneof(
  fc.tuple(fc.constantFrom(...SCALAR_FIELDS), fc.constantFrom(...SCALAR_OPS), fc.array(word, { minLength: 1, maxLength: 3 }), fc.constantFrom('0', '42', '200', '+1.5e+2'), fc.constantFrom(...NEEDLES)).map(([[name, arg], op, words, num, needle]) => {
    const values = ['contains', 'icontains', 'startswith', 'endswith'].includes(op) ? [needle] : words;
    const field = { name, ...(arg !== undefined ? { arg } : {}), pos: 0 };
    if (op === 'exists') return { text: `${fieldText(name, arg)} exists`, expr: { type: 'unary', field, op: 'exists', pos: 0 } as Expr };
    if (['<', '<=', '>', '>='].includes(op)) return { text: `${fieldText(name, arg)} ${op} ${num}`, expr: { type: 'binary', field, op, value: { type: 'value', value: num, pos: 0 }, pos: 0 } as Expr };
    if (['in', 'intersects', 'pmatch'].includes(op)) return { text: `${fieldText(name, arg)} ${op} (${values.map(quote).join(', ')})`, expr: { type: 'binary', field, op, value: { type: 'list', values, pos: 0 }, pos: 0 } as Expr };
    return { text: `${fieldText(name, arg)} ${op} ${quote(values[0] as string)}`, expr: { type: 'binary', field, op, value: { type: 'value', value: values[0] as string, pos: 0 }, pos: 0 } as Expr };
  }),
  fc.tuple(fc.constantFrom(...LIST_FIELDS), fc.constantFrom('in', 'intersects', 'exists'), fc.array(word, { maxLength: 3 })).map(([[name, arg], op, values]) => {
    const field = { name, ...(arg !== undefined ? { arg } : {}), pos: 0 };
    if (op === 'exists') return { text: `${fieldText(name, arg)} exists`, expr: { type: 'unary', field, op: 'exists', pos: 0 } as Expr };
    return { text: `${fieldText(name, arg)} ${op} (${values.map(quote).join(', ')})`, expr: { type: 'binary', field, op, value: { type: 'list', values, pos: 0 }, pos: 0 } as Expr };
  }),
);

const condition = fc.letrec<{ node: { text: string; expr: Expr } }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: check, weight: 4 },
    { arbitrary: fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([op, kids]) => ({ text: kids.map((k) => `(${k.text})`).join(` ${op} `), expr: { type: op, children: kids.map((k) => k.expr), pos: 0 } as Expr })), weight: 1 },
    { arbitrary: tie('node').map((k) => ({ text: `not (${k.text})`, expr: { type: 'not', child: k.expr, pos: 0 } as Expr })), weight: 1 },
  ),
})).node;

// Fields are present five times in six: absent values matter, but matches must be common.
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 6 });
const words = fc.array(word, { maxLength: 3 });
const event: fc.Arbitrary<AuditEvent> = fc
  .record(
    {
      auditID: maybe(fc.constantFrom('id-1', 'id-2')),
      stage: maybe(word),
      verb: maybe(word),
      requestURI: maybe(fc.tuple(fc.constantFrom('/api/v1/pods', '/healthz', '/api/v1/namespaces/ml/pods/p/exec'), fc.array(fc.tuple(fc.constantFrom('command', 'container', 'x'), word), { maxLength: 3 })).map(([p, q]) => (q.length ? `${p}?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}` : p))),
      user: maybe(fc.record({ username: maybe(fc.oneof(word, fc.constantFrom('system:serviceaccount:ml:x', 'system:serviceaccount:web:y'))), groups: maybe(words) }, { requiredKeys: [] })),
      objectRef: maybe(fc.record({ resource: maybe(word), namespace: maybe(fc.constantFrom('ml', 'web', 'Pods')), name: maybe(word), subresource: maybe(word) }, { requiredKeys: [] })),
      responseStatus: maybe(fc.record({ code: fc.constantFrom(101, 200, 201, 403, 404) })),
      requestObject: maybe(
        fc.record(
          {
            spec: fc.record(
              {
                hostNetwork: maybe(fc.boolean()),
                containers: maybe(fc.array(fc.record({ image: maybe(fc.oneof(word, fc.constantFrom('nginx:1.2', 'reg:5000/a/b@sha256:1'))), securityContext: maybe(fc.record({ privileged: maybe(fc.boolean()) }, { requiredKeys: [] })) }, { requiredKeys: [] }), { maxLength: 3 })),
                volumes: maybe(fc.array(fc.record({ name: fc.constant('v'), hostPath: maybe(fc.record({ path: word })) }, { requiredKeys: ['name'] }), { maxLength: 3 })),
              },
              { requiredKeys: [] },
            ),
          },
          { requiredKeys: [] },
        ),
      ),
    },
    { requiredKeys: [] },
  )
  .map((e) => JSON.parse(JSON.stringify({ kind: 'Event', ...e })) as AuditEvent);

describe('compiled conditions agree with a naive interpreter of the same tree', () => {
  it('on random conditions and random events', () => {
    fc.assert(
      fc.property(condition, fc.array(event, { minLength: 1, maxLength: 10 }), (cond, events) => {
        const parsed = parseCondition(cond.text);
        const predicate = compileCondition(parsed, new FieldSlots(K8S_AUDIT_CATALOG));
        const ctx = new EvalContext<AuditEvent>();
        for (const ev of events) {
          ctx.reset(ev);
          expect(predicate(ctx), `${cond.text}\n${JSON.stringify(ev)}`).toBe(oracle(cond.expr, ev));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('globMatcher agrees with fnmatch', () => {
  // Mostly `*`-only patterns (the string-search fast path), some with ? [ ] \ (the RegExp path).
  const patternChar = fc.constantFrom('*', '*', '*', 'a', 'b', '-', '/', 's3', '?', '[ab]', '\\*');
  const textChar = fc.constantFrom('a', 'b', '-', '/', 's3', '*', '\n', 'A');
  const pattern = fc.array(patternChar, { maxLength: 8 }).map((p) => p.join(''));
  const text = fc.array(textChar, { maxLength: 12 }).map((p) => p.join(''));
  it('on random patterns and strings, with and without case folding', () => {
    fc.assert(
      fc.property(pattern, fc.array(text, { minLength: 1, maxLength: 8 }), fc.array(text, { minLength: 4, maxLength: 4 }), fc.nat(), fc.boolean(), (p, texts, fills, cut, fold) => {
        const match = globMatcher(p, fold);
        // Near misses: the pattern with its stars filled in, and the same with one character cut.
        let k = 0;
        const filled = p.replace(/\*/g, () => fills[k++ % fills.length] as string);
        const near = filled.length > 0 ? filled.slice(0, cut % filled.length) + filled.slice((cut % filled.length) + 1) : filled;
        for (const s of [...texts, filled, near]) {
          const want = fold ? globToRegExp(p, true).test(s) : fnmatch(p, s, false);
          expect(match(s), `${JSON.stringify(p)} ${JSON.stringify(s)}`).toBe(want);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('event times', () => {
  // Oracle: the timestamp's whole seconds by Date.parse, its fraction as digits, joined in BigInt.
  const oracle = (ts: string): string | undefined => {
    const m = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$/.exec(ts);
    if (!m) return undefined;
    const ms = Date.parse(`${m[1]}T${m[2]}${m[4]?.toUpperCase()}`);
    if (Number.isNaN(ms)) return undefined;
    return (BigInt(ms) * 1_000_000n + BigInt((m[3] ?? '').padEnd(9, '0'))).toString();
  };
  const stamp = fc.record({
    second: fc.constantFrom('2026-12-06T10:00:00', '2026-12-06T10:00:01', '2026-12-06t10:00:00', '2026-12-06 10:00:00', '1970-01-01T00:00:00', '1969-12-31T23:59:59', '2026-02-30T10:00:00'),
    fraction: fc.option(fc.stringMatching(/^[0-9]{1,10}$/), { nil: undefined }),
    zone: fc.constantFrom('Z', 'z', '+02:00', '-00:30', 'X', ''),
  }).map(({ second, fraction, zone }) => `${second}${fraction === undefined ? '' : `.${fraction}`}${zone}`);
  it('rawTime equals the oracle whatever came before (its one-second cache is exact)', () => {
    fc.assert(
      fc.property(fc.array(stamp, { minLength: 1, maxLength: 12 }), (stamps) => {
        for (const ts of stamps) expect(rawTime({ stageTimestamp: ts }), ts).toBe(oracle(ts));
      }),
      { numRuns: 500 },
    );
  });
  it('isoTime writes the nanoseconds back as RFC 3339, as the BigInt formula does', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 19n }), (n) => {
        expect(isoTime(n.toString())).toBe(isoTimeBig(n));
      }),
      { numRuns: 1000 },
    );
    expect(isoTime('1796551200123456789')).toBe('2026-12-06T10:00:00.123456789Z');
  });
});

/** The BigInt formula isoTime used before its fast path (it still takes it for negative times). */
function isoTimeBig(n: bigint): string {
  const seconds = n / 1_000_000_000n;
  const frac = (n % 1_000_000_000n).toString().padStart(9, '0');
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, `.${frac}Z`);
}
