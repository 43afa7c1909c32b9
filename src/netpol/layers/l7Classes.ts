/**
 * Istio string matching (istio.io, "Authorization policy", value matching): `x` exact, `x*` prefix,
 * `*x` suffix, `*` any non-empty value. Every pattern of an analysis splits the strings into finitely
 * many classes — strings no pattern can tell apart — found from witness strings, so paths and hosts
 * become interval dimensions of ConnSet.
 */

export function istioMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return value.length > 0;
  if (pattern.endsWith('*') && !pattern.startsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*') && !pattern.endsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/**
 * Istio path templates (Istio 1.22+): a path holding `{*}` or `{**}` is an Envoy URI template
 * (istio/istio pkg/config/security/security.go ContainsPathTemplate; pilot/pkg/security/authz/matcher/template.go
 * turns `{*}` into `*` and `{**}` into `**`; master 86c9f01, 1.31.0-alpha).
 */
export function isPathTemplate(pattern: string): boolean {
  return pattern.includes('{*}') || pattern.includes('{**}');
}

/**
 * A Kubernetes Ingress wildcard host `*.foo.com` as a pattern: "The wildcard character '*' must appear by
 * itself as the first DNS label and matches only a single label"; "the request matches this rule if the
 * http host header is equal to the suffix (removing the first label) of the wildcard rule" (k8s.io/api
 * networking/v1 types.go, IngressRule.Host). Istio's `*.foo.com` matches any number of labels instead
 * (istio pkg/config/host/name.go Matches: `strings.HasSuffix(o, n[1:])`), so the Ingress form is its own
 * pattern, `{label}.foo.com`, `{label}` being one or more characters other than `.`.
 */
export const ONE_LABEL = '{label}';

/** A pattern with an operator in braces (a path template, an Ingress one-label wildcard). */
function isTemplate(pattern: string): boolean {
  return isPathTemplate(pattern) || pattern.includes(ONE_LABEL);
}

const OPERATORS = /(\{\*\*\}|\{\*\}|\{label\})/;

/**
 * Envoy's path characters in a URI template: RFC 3986 pchar less `*` and `=` (envoy
 * source/extensions/path/uri_template_lib/uri_template_internal.cc, kLiteral, main 0f39b1c). `*` becomes
 * `[pchar]+` (one segment, not empty) and `**` becomes `[pchar/]*` (any run of characters and `/`, the
 * empty one too), and the whole path (query and fragment removed) must match.
 */
const PCHAR_CLASS = "a-zA-Z0-9\\-._~%!$&'()+,;:@";
const PCHAR = new RegExp(`^[${PCHAR_CLASS}]$`);
const isPchar = (c: string): boolean => PCHAR.test(c);

/** The regex body a valid template stands for (see pathTemplateProblem), Python and JS alike. */
function templateRegex(template: string): string {
  return template
    .split(OPERATORS)
    .map((part) => (part === '{**}' ? `[${PCHAR_CLASS}/]*` : part === '{*}' ? `[${PCHAR_CLASS}]+` : part === ONE_LABEL ? '[^.]+' : escapeRegex(part)))
    .join('');
}

const templateCache = new Map<string, RegExp>();
function templateMatch(template: string, value: string): boolean {
  let re = templateCache.get(template);
  if (!re) templateCache.set(template, (re = new RegExp(`^(?:${templateRegex(template)})$`)));
  return re.test(value);
}

/**
 * Why Istio or Envoy refuses a path template, or undefined when it is one they accept. Istio's validation
 * (security.go CheckValidPathTemplate): each `/`-separated piece is `{*}`, `{**}` or a literal of pchar and
 * `=`, no operator after `{**}`, no other `{` or `}`. Envoy's parser (uri_template_internal.cc
 * parseURLPatternSyntax) then wants a leading `/`, no empty segment (only one trailing `/`), and literals
 * without `=`; a template it refuses is NACKed, and the proxy keeps whatever it had before.
 */
export function pathTemplateProblem(template: string): string | undefined {
  const pieces = template.replace(/^\/+|\/+$/g, '').split('/');
  let textGlob = false;
  for (const piece of pieces) {
    if (piece === '{*}' || piece === '{**}') {
      if (textGlob) return '{**} must be the last operator (Istio)';
      textGlob = piece === '{**}';
    } else if (/[{}]/.test(piece)) return `"${piece}": "{" and "}" only as a whole {*} or {**} segment (Istio)`;
    else if (!/^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/.test(piece)) return `"${piece}" is not a path segment literal (Istio)`;
  }
  if (!template.startsWith('/')) return 'a template must start with "/" (Envoy refuses it)';
  if (/\/\//.test(template)) return 'an empty path segment (Envoy refuses it)';
  if (template.includes('=')) return '"=" in a template literal (Envoy refuses it)';
  return undefined;
}

/**
 * Istio matching, plus one `*` inside (`/v1/models/*:predict`), which intents may write: the prefix
 * and the suffix around it, not overlapping (the `*` stands for any string, the empty one too).
 * Policies never reach the inner form: Istio refuses it and the parsers report it.
 */
export function patternMatch(pattern: string, value: string): boolean {
  return matcherOf(pattern)(value);
}

/** patternMatch for one pattern, its reading decided once (StringClasses asks it of every witness). */
function matcherOf(pattern: string): (value: string) => boolean {
  if (isTemplate(pattern)) return (value) => templateMatch(pattern, value);
  if (pattern === '*') return (value) => value.length > 0;
  const star = pattern.indexOf('*');
  if (star > 0 && star < pattern.length - 1) {
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    return (value) => value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
  }
  if (star === pattern.length - 1 && star > 0) {
    const head = pattern.slice(0, -1);
    return (value) => value.startsWith(head);
  }
  if (star === 0 && !pattern.endsWith('*')) {
    const tail = pattern.slice(1);
    return (value) => value.endsWith(tail);
  }
  return (value) => value === pattern;
}

/** The former patternMatch, kept as the reference matcherOf must agree with (tests). */
export function patternMatchReference(pattern: string, value: string): boolean {
  if (isTemplate(pattern)) return templateMatch(pattern, value);
  const star = pattern.indexOf('*');
  if (star > 0 && star < pattern.length - 1) {
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
  }
  return istioMatch(pattern, value);
}

/**
 * About how many classes StringClasses would make of these patterns, without making them: every prefix
 * can meet every suffix and every template (the product), exact strings add one each. An upper bound
 * in the cases that blow up (many prefixes and suffixes), cheap to compute.
 */
export function estimatedClasses(patterns: readonly string[]): number {
  let prefixes = 0;
  let suffixes = 0;
  let templates = 0;
  let exact = 0;
  for (const p of new Set(patterns)) {
    const star = p.indexOf('*');
    if (isTemplate(p)) templates++;
    else if (p === '*') continue;
    else if (star > 0 && star < p.length - 1) {
      prefixes++;
      suffixes++;
    } else if (p.endsWith('*')) prefixes++;
    else if (p.startsWith('*')) suffixes++;
    else exact++;
  }
  return (prefixes + 1) * (suffixes + 1) * (templates + 1) + exact;
}

/** A fresh character: no pattern contains it, so a witness with it matches only what it must. */
const FRESH = '\u00a7';

export class StringClasses {
  /** One representative string per class, index = class id. */
  readonly witnesses: string[] = [];
  private readonly bySignature = new Map<string, number>();

  constructor(
    readonly patterns: readonly string[],
    readonly caseInsensitive: boolean,
  ) {
    const norm = (s: string): string => (caseInsensitive ? s.toLowerCase() : s);
    // Sorted: describe() names patterns in this order, which must not follow the input's document order.
    const pats = [...new Set(patterns.map(norm))].sort();
    this.patterns = pats;
    // Templates are not prefixes or suffixes: the classes then come from the patterns' automata (exact).
    const words = pats.some(isTemplate) ? automatonWitnesses(pats) : witnessCandidates(pats);
    for (const w of words.sort()) {
      const sig = this.signature(w);
      if (!this.bySignature.has(sig)) {
        this.bySignature.set(sig, this.witnesses.length);
        this.witnesses.push(w);
      }
    }
  }

  private matchers?: ((value: string) => boolean)[];

  private signature(value: string): string {
    this.matchers ??= this.patterns.map(matcherOf);
    let out = '';
    for (const m of this.matchers) out += m(value) ? '1' : '0';
    return out;
  }

  get size(): number {
    return this.witnesses.length;
  }

  /** The class of a string (undefined only for the empty string, which no request carries). */
  classOf(value: string): number | undefined {
    return this.bySignature.get(this.signature(this.caseInsensitive ? value.toLowerCase() : value));
  }

  private readonly classesMemo = new Map<string, readonly number[]>();

  /** The classes a pattern matches (memoised: every policy asks again, and describe() asks for every pattern). */
  classesOf(pattern: string): readonly number[] {
    const p = this.caseInsensitive ? pattern.toLowerCase() : pattern;
    let out = this.classesMemo.get(p);
    if (!out) {
      const match = matcherOf(p);
      this.classesMemo.set(p, (out = this.witnesses.flatMap((w, i) => (match(w) ? [i] : []))));
    }
    return out;
  }

  /**
   * A CONVENTIONS.md string set for these classes: a pattern list, `{not: [...]}`, or regexes
   * (Python full-match) when no plain list says it.
   */
  describe(classes: ReadonlySet<number>): (string | { regex: string })[] | { not: string[] } {
    // A path template is no Istio-style pattern in CONVENTIONS.md's sense: it is written as its regex.
    const covering = (set: ReadonlySet<number>, templates: boolean): string[] | undefined => {
      const chosen = this.patterns.filter((p) => (templates || !isTemplate(p)) && this.classesOf(p).every((c) => set.has(c)));
      const covered = new Set(chosen.flatMap((p) => this.classesOf(p)));
      return [...set].every((c) => covered.has(c)) ? chosen : undefined;
    };
    const direct = covering(classes, true);
    if (direct && direct.length > 0) return direct.map((p) => (isTemplate(p) ? { regex: `${this.caseInsensitive ? '(?i)' : ''}${templateRegex(p)}` } : p));
    const complement = new Set(this.witnesses.map((_, i) => i).filter((i) => !classes.has(i)));
    const negated = covering(complement, false);
    if (negated && negated.length > 0) return { not: negated };
    return [...classes].map((c) => ({ regex: this.classRegex(c) }));
  }

  private classRegex(c: number): string {
    const w = this.witnesses[c]!;
    const parts = this.patterns.map((p) => `(?${patternMatch(p, w) ? '=' : '!'}${patternRegex(p)}\\Z)`);
    return `${this.caseInsensitive ? '(?i)' : ''}${parts.join('')}.+`;
  }
}

function escapeRegex(s: string): string {
  return s.replace(/[.^$*+?{}[\]\\|()]/g, (c) => `\\${c}`);
}

function patternRegex(p: string): string {
  if (isTemplate(p)) return templateRegex(p);
  if (p === '*') return '.+';
  const star = p.indexOf('*');
  if (star > 0 && star < p.length - 1) return `${escapeRegex(p.slice(0, star))}.*${escapeRegex(p.slice(star + 1))}`;
  if (p.endsWith('*') && !p.startsWith('*')) return `${escapeRegex(p.slice(0, -1))}.*`;
  if (p.startsWith('*') && !p.endsWith('*')) return `.*${escapeRegex(p.slice(1))}`;
  return escapeRegex(p);
}

/** Witness candidates for exact, prefix, suffix and inner-`*` patterns: each pattern, and each prefix and suffix joined (overlapping or not, with a fresh character between or not). */
function witnessCandidates(pats: readonly string[]): string[] {
  const prefixes = [''];
  const suffixes = [''];
  const candidates = new Set<string>([FRESH, `/${FRESH}`]);
  for (const p of pats) {
    if (p === '*') continue;
    const star = p.indexOf('*');
    if (star > 0 && star < p.length - 1) {
      prefixes.push(p.slice(0, star));
      suffixes.push(p.slice(star + 1));
    } else if (p.endsWith('*')) prefixes.push(p.slice(0, -1));
    else if (p.startsWith('*')) suffixes.push(p.slice(1));
    else candidates.add(p);
  }
  for (const a of prefixes) {
    for (const b of suffixes) {
      candidates.add(a + FRESH + b);
      candidates.add(a + b);
      for (let k = 1; k <= Math.min(a.length, b.length); k++) if (a.slice(-k) === b.slice(0, k)) candidates.add(a + b.slice(k));
    }
  }
  candidates.delete('');
  return [...candidates];
}

/** One step of a pattern read as a sequence: a character, one character of a set, or any run of them. */
type Token = { char: string } | { one: (c: string) => boolean } | { many: (c: string) => boolean };
const ANY = (): boolean => true;
const SEGMENT = isPchar;
const TEXT = (c: string): boolean => c === '/' || isPchar(c);
const LABEL = (c: string): boolean => c !== '.';

/** A pattern as patternMatch reads it, as tokens (a linear automaton). */
function patternTokens(p: string): Token[] {
  const chars = (s: string): Token[] => Array.from(s, (char) => ({ char }));
  if (isTemplate(p)) {
    return p.split(OPERATORS).flatMap((part): Token[] => (part === '{**}' ? [{ many: TEXT }] : part === '{*}' ? [{ one: SEGMENT }, { many: SEGMENT }] : part === ONE_LABEL ? [{ one: LABEL }, { many: LABEL }] : chars(part)));
  }
  if (p === '*') return [{ one: ANY }, { many: ANY }];
  const star = p.indexOf('*');
  if (star > 0 && star < p.length - 1) return [...chars(p.slice(0, star)), { many: ANY }, ...chars(p.slice(star + 1))];
  if (p.endsWith('*') && !p.startsWith('*')) return [...chars(p.slice(0, -1)), { many: ANY }];
  if (p.startsWith('*') && !p.endsWith('*')) return [{ many: ANY }, ...chars(p.slice(1))];
  return chars(p);
}

/**
 * One shortest string per non-empty combination of patterns a string can match: a breadth-first walk of
 * the product of the patterns' automata over one character per kind (each character a pattern names,
 * `/`, one other path character, one other character). Two strings that end in the same product state
 * match the same patterns, so every combination some string has is found: the classes are exact.
 */
function automatonWitnesses(patterns: readonly string[]): string[] {
  const tokens = patterns.map(patternTokens);
  const named = new Set(patterns.flatMap((p) => Array.from(p)));
  const alphabet = [...named, '/'];
  const otherPchar = Array.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()+,;:@").find((c) => !named.has(c));
  if (otherPchar) alphabet.push(otherPchar);
  const otherChar = [FRESH, '\u00a4', '\u2603', ' '].find((c) => !named.has(c) && !isPchar(c));
  if (otherChar) alphabet.push(otherChar);
  const letters = [...new Set(alphabet)].sort();
  const close = (toks: Token[], set: number[]): number[] => {
    if (set.length === 0) return set;
    const mark = new Uint8Array(toks.length + 1);
    for (const i of set) mark[i] = 1;
    for (let i = 0; i < toks.length; i++) if (mark[i] && 'many' in toks[i]!) mark[i + 1] = 1;
    const out: number[] = [];
    for (let i = 0; i <= toks.length; i++) if (mark[i]) out.push(i);
    return out;
  };
  const step = (toks: Token[], set: number[], c: string): number[] => {
    const next: number[] = [];
    for (const i of set) {
      const t = toks[i];
      if (!t) continue;
      if ('char' in t ? t.char === c : 'one' in t ? t.one(c) : false) next.push(i + 1);
      else if ('many' in t && t.many(c)) next.push(i);
    }
    return close(toks, next);
  };
  // A product state lists only the patterns still alive (a non-empty position set): after a few
  // characters most literal and prefix patterns are dead, which keeps each step short.
  type Live = { k: number; set: number[] }[];
  const start: Live = tokens.map((toks, k) => ({ k, set: close(toks, [0]) }));
  const seen = new Set<string>();
  const bySignature = new Map<string, string>();
  const queue: { state: Live; word: string }[] = [{ state: start, word: '' }];
  for (let q = 0; q < queue.length; q++) {
    const { state, word } = queue[q]!;
    for (const c of letters) {
      const next: Live = [];
      for (const { k, set } of state) {
        const moved = step(tokens[k]!, set, c);
        if (moved.length > 0) next.push({ k, set: moved });
      }
      const key = next.map(({ k, set }) => `${k}:${set.join('.')}`).join('|');
      if (seen.has(key)) continue;
      seen.add(key);
      queue.push({ state: next, word: word + c });
      const signature = next.flatMap(({ k, set }) => (set.includes(tokens[k]!.length) ? [k] : [])).join(',');
      if (!bySignature.has(signature)) bySignature.set(signature, word + c);
    }
  }
  return [...bySignature.values()];
}
