import { gotText } from '../parse/common.js';

/**
 * Cilium's DNS name selectors (`toFQDNs` and the L7 `dns` rules; pkg/policy/api/fqdn.go,
 * pkg/fqdn/matchpattern): `matchName` is one name; in `matchPattern`, "`*` within a domain allows 0
 * or more valid DNS characters, except for the `.` separator … `*` alone matches all names"
 * (docs.cilium.io, "DNS based"; so do `**` and `***.`), and a leading `**.` (or more stars)
 * matches one or more subdomain levels. Names
 * compare case-insensitively, without the trailing dot.
 */

/** Tests a DNS name (lower case, without the trailing dot). */
export interface NameMatcher {
  test(name: string): boolean;
}

export interface FqdnSelector {
  /** As written, for messages. */
  text: string;
  regex: NameMatcher;
  /** A name the selector matches (a pattern's wildcards filled in), to test DNS rules against. */
  witness: string;
}

// Cilium's validation regexes, `^([-a-zA-Z0-9_]+[.]?)+$` and the same with `*`, written so that they
// do not backtrack: the nested `(x+[.]?)+` takes seconds on thirty letters and a bad character.
const NAME = /^[-a-zA-Z0-9_]+(?:\.[-a-zA-Z0-9_]+)*\.?$/;
const PATTERN = /^[-a-zA-Z0-9_*]+(?:\.[-a-zA-Z0-9_*]+)*\.?$/;
const DNS_CHAR = /^[-a-z0-9_]*$/;

/**
 * One label of a pattern against one label of a name: `*` is any run of DNS characters, the rest is
 * literal. Greedy matching with one backtrack point (the last `*`) takes at most label x label steps,
 * where a regex of many `*` backtracks exponentially (`*a*a*a*a*a*a*a*a*a*a.com` against forty
 * letters: minutes). Cilium compiles the same pattern to Go's linear-time regexp.
 */
function labelMatch(pattern: string, label: string): boolean {
  if (!DNS_CHAR.test(label)) return false;
  let p = 0;
  let l = 0;
  let star = -1;
  let mark = 0;
  while (l < label.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === label[l]) {
      p++;
      l++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = l;
    } else if (star >= 0) {
      p = star + 1;
      l = ++mark;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** A pattern (lower case, without `**.`) against a name, label by label; `multi`: one or more labels of DNS characters first. */
function patternMatcher(rest: string, multi: boolean): NameMatcher {
  const want = rest.split('.');
  return {
    test(name: string): boolean {
      const labels = name.split('.');
      const extra = labels.length - want.length;
      if (multi ? extra < 1 : extra !== 0) return false;
      for (let i = 0; i < extra; i++) if (labels[i] === '' || !DNS_CHAR.test(labels[i]!)) return false;
      return want.every((w, i) => labelMatch(w, labels[extra + i]!));
    },
  };
}

const bare = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');

/** The selector of a `{matchName}` / `{matchPattern}` object, or a reason it is invalid. */
export function fqdnSelector(entry: Record<string, unknown>): FqdnSelector | { error: string } {
  const name = typeof entry.matchName === 'string' ? entry.matchName : '';
  const pattern = typeof entry.matchPattern === 'string' ? entry.matchPattern : '';
  if (name !== '' && pattern !== '') return { error: 'only one of matchName or matchPattern is allowed' };
  if (name !== '') {
    if (!NAME.test(name)) return { error: `invalid characters in matchName: ${gotText(name)}` };
    const b = bare(name);
    return { text: name, regex: { test: (n) => n === b }, witness: b };
  }
  if (pattern === '') return { error: 'matchName or matchPattern is required' };
  if (!PATTERN.test(pattern)) return { error: `invalid characters in matchPattern: ${gotText(pattern)}` };
  const b = bare(pattern);
  // dnsWildcardRegex `^[*]{1,}[.]?$`: "*", "**", "***." ... all match every name.
  if (/^\*+$/.test(b)) return { text: pattern, regex: /^[-a-z0-9_][-a-z0-9_.]*$/, witness: 'any.name' };
  // subdomainWildcardSpecifierPrefix `^[*]{2,}[.]`: one or more whole labels.
  const lead = /^\*{2,}\./.exec(b);
  const multi = lead !== null;
  const rest = lead ? b.slice(lead[0].length) : b;
  return { text: pattern, regex: patternMatcher(rest, multi), witness: `${multi ? 'a.' : ''}${rest.replace(/\*/g, 'a')}` };
}

/** Whether a host (an Istio ServiceEntry host, `*.suffix` standing for names under the suffix) is a name the selector matches; a wildcard host is tested on one name under it. */
export function selectsHost(selector: Pick<FqdnSelector, 'regex'>, host: string): boolean {
  const h = bare(host);
  return selector.regex.test(h.startsWith('*.') ? `a${h.slice(1)}` : h);
}
