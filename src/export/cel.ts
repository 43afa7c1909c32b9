/**
 * Small builders for CEL text. Everything palisade exports is plain CEL (the standard macros
 * `has`, `all`, `exists`, `map`, `filter`) plus the cel-go strings extension (`split`, `trim`,
 * `replace`) that Kubernetes enables; objects are unstructured, so every optional field is read
 * behind a `has()` guard (reading an absent field is an error in CEL, not null).
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** CEL reserved words cannot be selected with `.`; Kubernetes escapes them, index syntax avoids that. */
const RESERVED = new Set(['as', 'break', 'const', 'continue', 'else', 'false', 'for', 'function', 'if', 'import', 'in', 'let', 'loop', 'package', 'namespace', 'null', 'return', 'true', 'var', 'void', 'while']);

/** A CEL string literal (single-quoted). */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}'`;
}

/** A CEL list literal of strings. */
export function strList(values: Iterable<string>): string {
  return `[${[...values].map(str).join(', ')}]`;
}

/** `base.field`, or `base['field']` when the field is not a plain identifier. */
export function select(base: string, field: string): string {
  return IDENTIFIER.test(field) && !RESERVED.has(field) ? `${base}.${field}` : `${base}[${str(field)}]`;
}

/** Presence test of one field: `has(base.field)` or `'field' in base`. */
export function present(base: string, field: string): string {
  return IDENTIFIER.test(field) && !RESERVED.has(field) ? `has(${base}.${field})` : `${str(field)} in ${base}`;
}

/** `has(b.x) && has(b.x.y) && …` for every step of a path; `true` for an empty path. */
export function presentPath(base: string, path: readonly string[]): string {
  const guards: string[] = [];
  let current = base;
  for (const field of path) {
    guards.push(present(current, field));
    current = select(current, field);
  }
  return guards.length === 0 ? 'true' : guards.join(' && ');
}

export function selectPath(base: string, path: readonly string[]): string {
  return path.reduce(select, base);
}

/** The value at a path when every step is present, else the fallback. */
export function valueOr(base: string, path: readonly string[], fallback: string): string {
  return `(${presentPath(base, path)} ? ${selectPath(base, path)} : ${fallback})`;
}

/** True when the path is present and its value satisfies `test(value)`. */
export function whenPresent(base: string, path: readonly string[], test: (value: string) => string): string {
  return `(${presentPath(base, path)} && ${test(selectPath(base, path))})`;
}

export function and(...terms: string[]): string {
  const kept = terms.filter((t) => t !== 'true');
  if (kept.length === 0) return 'true';
  return kept.length === 1 ? kept[0]! : kept.map(paren).join(' && ');
}

export function or(...terms: string[]): string {
  const kept = terms.filter((t) => t !== 'false');
  if (kept.length === 0) return 'false';
  return kept.length === 1 ? kept[0]! : kept.map(paren).join(' || ');
}

export function not(term: string): string {
  return `!${paren(term)}`;
}

/** Wrap in parentheses unless the term is already atomic or wrapped. */
export function paren(term: string): string {
  if (/^[A-Za-z0-9_.'[\]]+$/.test(term) || /^has\([^()]*\)$/.test(term)) return term;
  if (term.startsWith('(') && balancedWrap(term)) return term;
  return `(${term})`;
}

/** True when the opening parenthesis at 0 closes at the last character (quotes respected). */
function balancedWrap(term: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < term.length; i++) {
    const ch = term[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') {
      depth--;
      if (depth === 0 && i < term.length - 1) return false;
    }
  }
  return depth === 0;
}

/** A glob (`*` any run, `?` one character) as an anchored RE2 pattern, every other character literal. */
export function globToRegex(glob: string): string {
  let out = '^';
  for (const ch of glob) {
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else out += /[!-/:-@[-`{-~]/.test(ch) ? `\\${ch}` : ch;
  }
  return `${out}$`;
}
