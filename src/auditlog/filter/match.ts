/**
 * The string matchers behind `glob`/`iglob` (POSIX fnmatch without flags, as libsinsp calls it) and
 * `pmatch` (libsinsp's path_prefix_search: a value matches when some pattern's path components,
 * each literal or a glob, are a prefix of the value's components).
 */

const CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  blank: ' \\t',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '\\x21-\\x7e',
  lower: 'a-z',
  print: '\\x20-\\x7e',
  punct: '!-\\/:-@\\[-`{-~',
  space: ' \\t\\n\\r\\v\\f',
  upper: 'A-Z',
  xdigit: '0-9a-fA-F',
};

function escapeRegex(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** fnmatch(pattern, s, 0) as a RegExp: `*` and `?` cross '/', brackets with ! or ^, backslash escapes. */
export function globToRegExp(pattern: string, caseInsensitive = false): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\') {
      i++;
      re += i < pattern.length ? escapeRegex(pattern[i] as string) : '\\\\';
    } else if (c === '[') {
      const parsed = bracket(pattern, i);
      if (parsed) {
        re += parsed.re;
        i = parsed.end;
      } else {
        re += '\\[';
      }
    } else {
      re += escapeRegex(c);
    }
  }
  return new RegExp(`^${re}$`, caseInsensitive ? 'si' : 's');
}

/**
 * fnmatch(pattern, s, 0) as a function. Patterns whose only wildcard is `*` (the common `*-s3-*`,
 * `kube-*`) are matched with string searches, leftmost first, which is exact for `*`-only globs
 * and avoids the backtracking of `[\s\S]*` regexes; anything else goes through globToRegExp.
 */
export function globMatcher(pattern: string, caseInsensitive = false): (s: string) => boolean {
  if (caseInsensitive || /[?[\\]/.test(pattern)) {
    const re = globToRegExp(pattern, caseInsensitive);
    return (s) => re.test(s);
  }
  const parts = pattern.split('*');
  if (parts.length === 1) return (s) => s === pattern;
  const head = parts[0] as string;
  const tail = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter((m) => m.length > 0);
  const fixed = head.length + tail.length;
  if (middle.length === 0) return (s) => s.length >= fixed && s.startsWith(head) && s.endsWith(tail);
  if (head.length === 0 && tail.length === 0 && middle.length === 1) {
    const only = middle[0] as string;
    return (s) => s.includes(only);
  }
  return (s) => {
    if (s.length < fixed || !s.startsWith(head) || !s.endsWith(tail)) return false;
    const end = s.length - tail.length;
    let at = head.length;
    for (const m of middle) {
      const found = s.indexOf(m, at);
      if (found < 0 || found + m.length > end) return false;
      at = found + m.length;
    }
    return true;
  };
}

function bracket(p: string, start: number): { re: string; end: number } | undefined {
  let i = start + 1;
  let negate = false;
  if (p[i] === '!' || p[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  let first = true;
  while (i < p.length) {
    const c = p[i] as string;
    if (c === ']' && !first) return { re: `[${negate ? '^' : ''}${body}]`, end: i };
    first = false;
    if (c === '[' && p[i + 1] === ':') {
      const close = p.indexOf(':]', i + 2);
      const name = close > 0 ? p.slice(i + 2, close) : '';
      const cls = CLASSES[name];
      if (cls !== undefined) {
        body += cls;
        i = close + 2;
        continue;
      }
    }
    let lo = c;
    if (c === '\\' && i + 1 < p.length) {
      i++;
      lo = p[i] as string;
    }
    if (p[i + 1] === '-' && p[i + 2] !== undefined && p[i + 2] !== ']') {
      let hi = p[i + 2] as string;
      i += 2;
      if (hi === '\\' && i + 1 < p.length) {
        i++;
        hi = p[i] as string;
      }
      if (lo <= hi) body += `${escapeRegex(lo)}-${escapeRegex(hi)}`;
    } else {
      body += escapeRegex(lo);
    }
    i++;
  }
  return undefined;
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c.length > 0);
}

/** A compiled set of `pmatch` patterns. */
export function pathMatcher(patterns: readonly string[]): (value: string) => boolean {
  const compiled = patterns.map((p) => components(p).map((c) => (/[?*[]/.test(c) ? globToRegExp(c) : c)));
  return (value) => {
    const comps = components(value);
    outer: for (const pattern of compiled) {
      if (pattern.length > comps.length) continue;
      for (let i = 0; i < pattern.length; i++) {
        const want = pattern[i] as string | RegExp;
        const have = comps[i] as string;
        if (typeof want === 'string' ? want !== have : !want.test(have)) continue outer;
      }
      return true;
    }
    return false;
  };
}

/** strcasestr lowers ASCII letters only. */
export function asciiLower(s: string): string {
  return /[A-Z]/.test(s) ? s.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32)) : s;
}
