/**
 * Words and variable substitution the way BuildKit's shell lexer (frontend/dockerfile/shell) does
 * them for ADD, COPY, ENV, EXPOSE, FROM, LABEL, USER, VOLUME, WORKDIR: quotes group and are
 * removed, single quotes stop substitution, the escape character escapes the next character, and
 * `$name`, `${name}`, `${name:-word}`, `${name-word}`, `${name:+word}`, `${name+word}`,
 * `${name:?word}`, `${name#glob}`, `${name%glob}` (and `##`, `%%`) expand.
 */

export interface Word {
  /** The word as written, quotes included. */
  raw: string;
  /** Index of the first character in the text it was split from. */
  start: number;
}

/** Split on unquoted blanks; quotes and escaped characters do not split. */
export function splitWords(text: string, escape: string): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /[ \t\r\n]/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const start = i;
    let quote: string | undefined;
    while (i < text.length) {
      const c = text[i] as string;
      if (c === escape && quote !== "'" && i + 1 < text.length) {
        i += 2;
        continue;
      }
      if (quote) {
        if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (/[ \t\r\n]/.test(c)) {
        break;
      }
      i++;
    }
    words.push({ raw: text.slice(start, i), start });
  }
  return words;
}

export interface Expansion {
  value: string;
  /** Variables that were referenced but not set (their expansion was empty). */
  unset: string[];
}

export type Variables = ReadonlyMap<string, string>;

/** Remove quotes and expand variables in one word (or a whole value). */
export function expandWord(raw: string, variables: Variables, escape: string): Expansion {
  const unset: string[] = [];
  const value = expandInner(raw, variables, escape, unset, true);
  return { value, unset };
}

function expandInner(raw: string, variables: Variables, escape: string, unset: string[], removeQuotes: boolean): string {
  let out = '';
  let quote: string | undefined;
  let i = 0;
  while (i < raw.length) {
    const c = raw[i] as string;
    if (quote === "'") {
      if (c === "'") {
        quote = undefined;
        if (!removeQuotes) out += c;
      } else out += c;
      i++;
      continue;
    }
    if (c === escape && i + 1 < raw.length) {
      const next = raw[i + 1] as string;
      // Inside double quotes only a few characters can be escaped; elsewhere any can.
      if (quote === '"' && !['$', '"', escape, '`', '\\'].includes(next)) out += c + next;
      else out += next;
      i += 2;
      continue;
    }
    if ((c === '"' || c === "'") && quote === undefined) {
      quote = c;
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c === '"' && quote === '"') {
      quote = undefined;
      if (!removeQuotes) out += c;
      i++;
      continue;
    }
    if (c === '$') {
      const expanded = expandVariable(raw, i, variables, escape, unset);
      if (expanded) {
        out += expanded.value;
        i = expanded.end;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

function expandVariable(raw: string, dollar: number, variables: Variables, escape: string, unset: string[]): { value: string; end: number } | undefined {
  const simple = /^[A-Za-z_][A-Za-z0-9_]*/.exec(raw.slice(dollar + 1));
  if (simple) {
    return { value: lookup(simple[0], variables, unset), end: dollar + 1 + simple[0].length };
  }
  if (raw[dollar + 1] !== '{') return undefined;
  const close = matchingBrace(raw, dollar + 1);
  if (close < 0) return undefined;
  const inner = raw.slice(dollar + 2, close);
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+?])|(##?|%%?))?([\s\S]*)$/.exec(inner);
  if (!match) return { value: '', end: close + 1 };
  const name = match[1] as string;
  const operator = match[2];
  const trim = match[3];
  const word = match[4] ?? '';
  const isSet = variables.has(name);
  const current = variables.get(name) ?? '';
  const end = close + 1;
  if (operator) {
    const emptyCounts = operator.startsWith(':');
    const present = isSet && (!emptyCounts || current !== '');
    const sub = (): string => expandInner(word, variables, escape, unset, true);
    switch (operator.replace(':', '')) {
      case '-':
        return { value: present ? current : sub(), end };
      case '+':
        return { value: present ? sub() : '', end };
      default: // '?': an error at build time; the value stays as is
        if (!present) unset.push(name);
        return { value: current, end };
    }
  }
  if (trim) {
    const value = lookup(name, variables, unset);
    return { value: trimPattern(value, trim, expandInner(word, variables, escape, unset, true)), end };
  }
  if (word !== '') return { value: '', end };
  return { value: lookup(name, variables, unset), end };
}

function lookup(name: string, variables: Variables, unset: string[]): string {
  const value = variables.get(name);
  if (value === undefined) {
    unset.push(name);
    return '';
  }
  return value;
}

function matchingBrace(raw: string, open: number): number {
  let depth = 0;
  for (let i = open; i < raw.length; i++) {
    if (raw[i] === '{') depth++;
    else if (raw[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `#`/`##` remove the shortest/longest matching prefix, `%`/`%%` the shortest/longest suffix. */
function trimPattern(value: string, operator: string, glob: string): string {
  const pattern = globToRegExpSource(glob);
  const longest = operator.length === 2;
  if (operator.startsWith('#')) {
    const lengths = [...Array(value.length + 1).keys()];
    if (longest) lengths.reverse();
    for (const length of lengths) if (new RegExp(`^(?:${pattern})$`).test(value.slice(0, length))) return value.slice(length);
    return value;
  }
  const starts = [...Array(value.length + 1).keys()];
  if (!longest) starts.reverse();
  for (const start of starts) if (new RegExp(`^(?:${pattern})$`).test(value.slice(start))) return value.slice(0, start);
  return value;
}

function globToRegExpSource(glob: string): string {
  let source = '';
  for (const c of glob) {
    if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else source += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return source;
}

/**
 * `KEY=VALUE` pairs of ENV, LABEL and ARG, and the legacy `ENV KEY VALUE` form (the rest of the
 * line is the value). Each pair keeps where its key starts in the text.
 */
export interface KeyValue {
  key: string;
  /** undefined for `ARG NAME` without a default. */
  rawValue?: string;
  start: number;
}

export function keyValues(text: string, escape: string, legacyForm: boolean): KeyValue[] {
  const words = splitWords(text, escape);
  const first = words[0];
  if (!first) return [];
  if (legacyForm && !first.raw.includes('=')) {
    const valueStart = words[1]?.start;
    return [{ key: first.raw, ...(valueStart === undefined ? {} : { rawValue: text.slice(valueStart) }), start: first.start }];
  }
  return words.map((word) => {
    const eq = word.raw.indexOf('=');
    if (eq < 0) return { key: word.raw, start: word.start };
    return { key: word.raw.slice(0, eq), rawValue: word.raw.slice(eq + 1), start: word.start };
  });
}
