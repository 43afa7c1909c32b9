/**
 * Calico's selector expression language (docs.tigera.io, "Selectors"): `all()`, `global()`,
 * `has(k)`, `k == 'v'`, `k != 'v'`, `k in {'a','b'}`, `k not in {...}`, `k contains 's'`,
 * `k starts with 's'`, `k ends with 's'`, `!`, `&&`, `||` and parentheses. `!=` and `not in` match
 * objects without the label, as in Calico. `&&` binds tighter than `||`.
 */

export type CalicoSelector =
  | { op: 'all' }
  | { op: 'global' }
  | { op: 'has'; key: string }
  | { op: 'eq' | 'ne' | 'contains' | 'starts' | 'ends'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: readonly string[] }
  | { op: 'not'; arg: CalicoSelector }
  | { op: 'and' | 'or'; args: readonly CalicoSelector[] };

export class SelectorSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

type Token = { kind: 'word' | 'string' | 'punct'; text: string; at: number };

const PUNCT = ['&&', '||', '==', '!=', '!', '(', ')', '{', '}', ','];
const WORD = /[A-Za-z0-9_./-]/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new SelectorSyntaxError('unterminated string', i);
      out.push({ kind: 'string', text: text.slice(i + 1, end), at: i });
      i = end + 1;
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (p) {
      out.push({ kind: 'punct', text: p, at: i });
      i += p.length;
      continue;
    }
    if (WORD.test(c)) {
      let j = i;
      while (j < text.length && WORD.test(text[j]!)) j++;
      out.push({ kind: 'word', text: text.slice(i, j), at: i });
      i = j;
      continue;
    }
    throw new SelectorSyntaxError(`unexpected character ${JSON.stringify(c)}`, i);
  }
  return out;
}

/**
 * How deeply `!` and parentheses may nest: the parser and the evaluator recurse once per level, and
 * thousands of levels overflow the stack (a crash, where a selector nobody writes should be an error).
 */
export const MAX_SELECTOR_DEPTH = 256;

/** Parses a selector; throws SelectorSyntaxError with the offset of the problem. */
export function parseCalicoSelector(text: string): CalicoSelector {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const fail = (what: string): never => {
    throw new SelectorSyntaxError(what, peek()?.at ?? text.length);
  };
  const expect = (t: string): void => {
    if (peek()?.text !== t || peek()?.kind === 'string') fail(`expected "${t}"`);
    pos++;
  };
  const str = (): string => {
    const t = peek();
    if (t?.kind !== 'string') return fail('expected a quoted string');
    pos++;
    return t.text;
  };
  const or = (): CalicoSelector => {
    const args = [and()];
    while (peek()?.text === '||' && peek()?.kind === 'punct') {
      pos++;
      args.push(and());
    }
    return args.length === 1 ? args[0]! : { op: 'or', args };
  };
  const and = (): CalicoSelector => {
    const args = [unary()];
    while (peek()?.text === '&&' && peek()?.kind === 'punct') {
      pos++;
      args.push(unary());
    }
    return args.length === 1 ? args[0]! : { op: 'and', args };
  };
  let depth = 0;
  const nested = <T>(parse: () => T): T => {
    if (++depth > MAX_SELECTOR_DEPTH) fail(`more than ${MAX_SELECTOR_DEPTH} nested "!" and "(": palisade does not read a selector this deep`);
    const out = parse();
    depth--;
    return out;
  };
  const unary = (): CalicoSelector => {
    const t = peek();
    if (!t) return fail('expected an expression');
    if (t.kind === 'punct' && t.text === '!') {
      pos++;
      return nested(() => ({ op: 'not', arg: unary() }));
    }
    if (t.kind === 'punct' && t.text === '(') {
      pos++;
      const inner = nested(or);
      expect(')');
      return inner;
    }
    if (t.kind !== 'word') return fail('expected a label or a function');
    pos++;
    const next = peek();
    if ((t.text === 'all' || t.text === 'global') && next?.text === '(' && next.kind === 'punct') {
      pos++;
      expect(')');
      return { op: t.text };
    }
    if (t.text === 'has' && next?.text === '(' && next.kind === 'punct') {
      pos++;
      const key = peek();
      if (key?.kind !== 'word') return fail('expected a label key');
      pos++;
      expect(')');
      return { op: 'has', key: key.text };
    }
    const key = t.text;
    if (!next) return fail('expected an operator after the label');
    if (next.kind === 'punct' && (next.text === '==' || next.text === '!=')) {
      pos++;
      return { op: next.text === '==' ? 'eq' : 'ne', key, value: str() };
    }
    if (next.kind === 'word') {
      if (next.text === 'in') {
        pos++;
        return { op: 'in', key, values: set() };
      }
      if (next.text === 'not' && tokens[pos + 1]?.text === 'in' && tokens[pos + 1]?.kind === 'word') {
        pos += 2;
        return { op: 'notin', key, values: set() };
      }
      if (next.text === 'contains') {
        pos++;
        return { op: 'contains', key, value: str() };
      }
      if ((next.text === 'starts' || next.text === 'ends') && tokens[pos + 1]?.text === 'with' && tokens[pos + 1]?.kind === 'word') {
        pos += 2;
        return { op: next.text, key, value: str() };
      }
    }
    return fail('expected ==, !=, in, not in, contains, starts with or ends with');
  };
  const set = (): string[] => {
    expect('{');
    const values: string[] = [];
    if (peek()?.text === '}' && peek()?.kind === 'punct') {
      pos++;
      return values;
    }
    values.push(str());
    while (peek()?.text === ',' && peek()?.kind === 'punct') {
      pos++;
      values.push(str());
    }
    expect('}');
    return values;
  };
  if (tokens.length === 0) throw new SelectorSyntaxError('empty selector', 0);
  const result = or();
  if (pos < tokens.length) fail('unexpected text after the expression');
  return result;
}

/** What a selector is evaluated against: the labels, and whether the object is global (not namespaced). */
export interface SelectorSubject {
  labels: Readonly<Record<string, string>>;
  global: boolean;
  /** NCA reads `all()` in a namespaceSelector as "every namespaced endpoint", so not a global one. */
  allExcludesGlobal?: boolean;
}

export function evalCalicoSelector(s: CalicoSelector, subject: SelectorSubject): boolean {
  const v = (key: string): string | undefined => (Object.hasOwn(subject.labels, key) ? subject.labels[key] : undefined);
  switch (s.op) {
    case 'all':
      return !(subject.allExcludesGlobal && subject.global);
    case 'global':
      return subject.global;
    case 'has':
      return v(s.key) !== undefined;
    case 'eq':
      return v(s.key) === s.value;
    case 'ne':
      return v(s.key) !== s.value;
    case 'contains':
      return (v(s.key) ?? '').includes(s.value);
    case 'starts':
      return (v(s.key) ?? '').startsWith(s.value);
    case 'ends':
      return (v(s.key) ?? '').endsWith(s.value);
    case 'in':
      return s.values.includes(v(s.key) ?? '\u0000absent');
    case 'notin':
      return !s.values.includes(v(s.key) ?? '\u0000absent');
    case 'not':
      return !evalCalicoSelector(s.arg, subject);
    case 'and':
      return s.args.every((a) => evalCalicoSelector(a, subject));
    case 'or':
      return s.args.some((a) => evalCalicoSelector(a, subject));
  }
}

/** Whether the text mentions global() (it changes what a namespaceSelector can select). */
export function mentionsGlobal(s: CalicoSelector): boolean {
  if (s.op === 'global') return true;
  if (s.op === 'not') return mentionsGlobal(s.arg);
  if (s.op === 'and' || s.op === 'or') return s.args.some(mentionsGlobal);
  return false;
}
