import type { Resource } from '../../core/load.js';
import { obj } from '../layers/parsing.js';
import { METHODS, OTHER_METHOD } from '../layers/connSet.js';

/**
 * Cilium's L7 HTTP fields (docs.cilium.io, "Layer 7 Examples"; api.PortRuleHTTP): `method`, `path`
 * and `host` are extended POSIX regular expressions that Envoy matches against the whole value;
 * `headers` lists "Name: value" (or "Name") that the request must carry, and `headerMatches`
 * with the default mismatch action add the same kind of requirement. Paths and hosts join the
 * analysis's string classes as Istio-style patterns (exact, prefix*, *suffix), which covers the
 * regexes people write (`/public$`, `/v1/.*`); any other regex cannot be reduced to a pattern and is
 * read as matching every value (an over-approximation, reported).
 */

const META = new Set(['.', '^', '$', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '\\']);

/** The literal a regex denotes, or undefined when it has operators. */
function literal(re: string): string | undefined {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i]!;
    if (c === '\\') {
      const next = re[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return undefined; // \d, \w, \b ... are classes or assertions
      out += next;
      i++;
    } else if (META.has(c)) return undefined;
    else out += c;
  }
  // A "*" in the literal would read as a wildcard in the pattern language.
  return out.includes('*') ? undefined : out;
}

export type RegexReading = { kind: 'any' } | { kind: 'pattern'; pattern: string } | { kind: 'opaque' };

/** A full-match regex as an Istio-style pattern, when it is one. */
export function regexAsPattern(re: string): RegexReading {
  let r = re;
  if (r.startsWith('^')) r = r.slice(1);
  if (r.endsWith('$') && !r.endsWith('\\$')) r = r.slice(0, -1);
  // "If omitted or empty, all paths are allowed" (api.PortRuleHTTP).
  if (r === '' || r === '.*') return { kind: 'any' };
  if (r === '.+') return { kind: 'pattern', pattern: '*' };
  const exact = literal(r);
  if (exact !== undefined && exact !== '') return { kind: 'pattern', pattern: exact };
  if (r.endsWith('.*')) {
    const prefix = literal(r.slice(0, -2));
    if (prefix) return { kind: 'pattern', pattern: `${prefix}*` };
  }
  if (r.startsWith('.*')) {
    const suffix = literal(r.slice(2));
    if (suffix) return { kind: 'pattern', pattern: `*${suffix}` };
  }
  return { kind: 'opaque' };
}

/** Methods outside the nine known ones that a method regex is tried on, to decide the "other" class. */
const OTHER_WITNESSES = ['PROPFIND', 'LINK', 'X'];

/** The method ids (METHODS indexes, OTHER_METHOD) a method regex matches; undefined for an invalid regex. */
export function methodIds(re: string): number[] | undefined {
  let rx: RegExp;
  try {
    rx = new RegExp(`^(?:${re})$`);
  } catch {
    return undefined;
  }
  const ids = METHODS.flatMap((m, i) => (rx.test(m) ? [i] : []));
  if (OTHER_WITNESSES.some((m) => rx.test(m))) ids.push(OTHER_METHOD);
  return ids;
}

export function validRegex(re: string): boolean {
  try {
    new RegExp(re);
    return true;
  } catch {
    return false;
  }
}

/**
 * A `headers` entry in one canonical spelling, read as Cilium's Envoy translation reads it
 * (pkg/envoy/policy/envoy_l7_rules_translator.go getHTTPRule): split at the first space, the name
 * with its trailing ":" removed must carry exactly the rest as value ("X-Key: true"); without a
 * space the whole entry names a header that must be present. Header names are case-insensitive.
 */
export function canonicalHeader(h: string): string {
  const space = h.indexOf(' ');
  if (space < 0) return h.toLowerCase();
  return `${h.slice(0, space).replace(/:+$/, '').toLowerCase()}: ${h.slice(space + 1)}`;
}

export const MISMATCH_ACTIONS = new Set(['LOG', 'ADD', 'DELETE', 'REPLACE']);

/**
 * The requirement a `headerMatches` entry adds, as getHTTPRule translates it: with the default
 * mismatch action (fail), an inline value must match exactly and no value means presence; any
 * other action ("the overall rule is still considered as matching", api.HeaderMatch) or an
 * invalid entry adds none; a secret's value is not in the manifests (`secret`).
 */
export function headerMatchRequirement(raw: unknown): { header: string } | 'none' | 'secret' {
  const m = obj(raw);
  if (!m || typeof m.name !== 'string' || m.name === '') return 'none';
  if (m.mismatch !== undefined && m.mismatch !== '') return 'none';
  if (m.secret !== undefined && m.secret !== null) return 'secret';
  const value = typeof m.value === 'string' ? m.value : '';
  return { header: value === '' ? m.name.toLowerCase() : `${m.name.toLowerCase()}: ${value}` };
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Every http rule of the Cilium policies in the input, for the string classes and the header dimension. */
export function ciliumL7Patterns(resources: readonly Resource[]): { paths: string[]; hosts: string[]; headers: string[] } {
  const paths: string[] = [];
  const hosts: string[] = [];
  const headers = new Set<string>();
  for (const r of resources) {
    if (!String(r.object.apiVersion).startsWith('cilium.io/')) continue;
    const spec = obj(r.object.spec);
    const specs = [...(spec ? [spec] : []), ...list(r.object.specs).flatMap((s) => (obj(s) ? [obj(s)!] : []))];
    for (const s of specs) {
      for (const dir of ['ingress', 'egress']) {
        for (const rule of list(s[dir])) {
          for (const pr of list(obj(rule)?.toPorts)) {
            for (const h of list(obj(obj(pr)?.rules)?.http)) {
              const http = obj(h) ?? {};
              if (typeof http.path === 'string') {
                const p = regexAsPattern(http.path);
                if (p.kind === 'pattern') paths.push(p.pattern);
              }
              if (typeof http.host === 'string') {
                const p = regexAsPattern(http.host);
                if (p.kind === 'pattern') hosts.push(p.pattern);
              }
              for (const x of list(http.headers)) if (typeof x === 'string') headers.add(canonicalHeader(x));
              for (const x of list(http.headerMatches)) {
                const req = headerMatchRequirement(x);
                if (typeof req === 'object') headers.add(req.header);
              }
            }
          }
        }
      }
    }
  }
  return { paths, hosts, headers: [...headers].sort() };
}
