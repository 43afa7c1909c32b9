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
 * Istio matching, plus one `*` inside (`/v1/models/*:predict`), which intents may write: the prefix
 * and the suffix around it, not overlapping (the `*` stands for any string, the empty one too).
 * Policies never reach the inner form: Istio refuses it and the parsers report it.
 */
export function patternMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star > 0 && star < pattern.length - 1) {
    const head = pattern.slice(0, star);
    const tail = pattern.slice(star + 1);
    return value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail);
  }
  return istioMatch(pattern, value);
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
    const pats = [...new Set(patterns.map(norm))];
    this.patterns = pats;
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
    for (const w of [...candidates].sort()) {
      const sig = this.signature(w);
      if (!this.bySignature.has(sig)) {
        this.bySignature.set(sig, this.witnesses.length);
        this.witnesses.push(w);
      }
    }
  }

  private signature(value: string): string {
    return this.patterns.map((p) => (patternMatch(p, value) ? '1' : '0')).join('');
  }

  get size(): number {
    return this.witnesses.length;
  }

  /** The class of a string (undefined only for the empty string, which no request carries). */
  classOf(value: string): number | undefined {
    return this.bySignature.get(this.signature(this.caseInsensitive ? value.toLowerCase() : value));
  }

  /** The classes a pattern matches. */
  classesOf(pattern: string): number[] {
    const p = this.caseInsensitive ? pattern.toLowerCase() : pattern;
    return this.witnesses.flatMap((w, i) => (patternMatch(p, w) ? [i] : []));
  }

  /**
   * A CONVENTIONS.md string set for these classes: a pattern list, `{not: [...]}`, or regexes
   * (Python full-match) when no plain list says it.
   */
  describe(classes: ReadonlySet<number>): (string | { regex: string })[] | { not: string[] } {
    const covering = (set: ReadonlySet<number>): string[] | undefined => {
      const chosen = this.patterns.filter((p) => this.classesOf(p).every((c) => set.has(c)));
      const covered = new Set(chosen.flatMap((p) => this.classesOf(p)));
      return [...set].every((c) => covered.has(c)) ? chosen : undefined;
    };
    const direct = covering(classes);
    if (direct && direct.length > 0) return direct;
    const complement = new Set(this.witnesses.map((_, i) => i).filter((i) => !classes.has(i)));
    const negated = covering(complement);
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
  if (p === '*') return '.+';
  const star = p.indexOf('*');
  if (star > 0 && star < p.length - 1) return `${escapeRegex(p.slice(0, star))}.*${escapeRegex(p.slice(star + 1))}`;
  if (p.endsWith('*') && !p.startsWith('*')) return `${escapeRegex(p.slice(0, -1))}.*`;
  if (p.startsWith('*') && !p.endsWith('*')) return `.*${escapeRegex(p.slice(1))}`;
  return escapeRegex(p);
}
