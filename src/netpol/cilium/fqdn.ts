/**
 * Cilium's DNS name selectors (`toFQDNs` and the L7 `dns` rules; pkg/policy/api/fqdn.go,
 * pkg/fqdn/matchpattern): `matchName` is one name; in `matchPattern`, "`*` within a domain allows 0
 * or more valid DNS characters, except for the `.` separator … `*` alone matches all names"
 * (docs.cilium.io, "DNS based"; so do `**` and `***.`), and a leading `**.` (or more stars)
 * matches one or more subdomain levels. Names
 * compare case-insensitively, without the trailing dot.
 */

export interface FqdnSelector {
  /** As written, for messages. */
  text: string;
  regex: RegExp;
  /** A name the selector matches (a pattern's wildcards filled in), to test DNS rules against. */
  witness: string;
}

const NAME = /^([-a-zA-Z0-9_]+[.]?)+$/;
const PATTERN = /^([-a-zA-Z0-9_*]+[.]?)+$/;
const DNS_CHAR = '[-a-z0-9_]';

const bare = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');

/** The selector of a `{matchName}` / `{matchPattern}` object, or a reason it is invalid. */
export function fqdnSelector(entry: Record<string, unknown>): FqdnSelector | { error: string } {
  const name = typeof entry.matchName === 'string' ? entry.matchName : '';
  const pattern = typeof entry.matchPattern === 'string' ? entry.matchPattern : '';
  if (name !== '' && pattern !== '') return { error: 'only one of matchName or matchPattern is allowed' };
  if (name !== '') {
    if (!NAME.test(name)) return { error: `invalid characters in matchName ${JSON.stringify(name)}` };
    const b = bare(name);
    return { text: name, regex: new RegExp(`^${b.replace(/\./g, '\\.')}$`), witness: b };
  }
  if (pattern === '') return { error: 'matchName or matchPattern is required' };
  if (!PATTERN.test(pattern)) return { error: `invalid characters in matchPattern ${JSON.stringify(pattern)}` };
  const b = bare(pattern);
  // dnsWildcardRegex `^[*]{1,}[.]?$`: "*", "**", "***." ... all match every name.
  if (/^\*+$/.test(b)) return { text: pattern, regex: new RegExp(`^${DNS_CHAR}[-a-z0-9_.]*$`), witness: 'any.name' };
  // subdomainWildcardSpecifierPrefix `^[*]{2,}[.]`: one or more whole labels.
  const lead = /^\*{2,}\./.exec(b);
  const multi = lead !== null;
  const rest = lead ? b.slice(lead[0].length) : b;
  const body = rest.replace(/\./g, '\\.').replace(/\*/g, `${DNS_CHAR}*`);
  return { text: pattern, regex: new RegExp(`^${multi ? `(${DNS_CHAR}+\\.)+` : ''}${body}$`), witness: `${multi ? 'a.' : ''}${rest.replace(/\*/g, 'a')}` };
}

/** Whether a host (an Istio ServiceEntry host, `*.suffix` standing for names under the suffix) is a name the selector matches; a wildcard host is tested on one name under it. */
export function selectsHost(selector: Pick<FqdnSelector, 'regex'>, host: string): boolean {
  const h = bare(host);
  return selector.regex.test(h.startsWith('*.') ? `a${h.slice(1)}` : h);
}
