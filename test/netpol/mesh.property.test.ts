import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evalCalicoSelector, parseCalicoSelector, type CalicoSelector } from '../../src/netpol/calico/selector.js';
import { istioMatch, patternMatch, pathTemplateProblem, StringClasses } from '../../src/netpol/layers/l7Classes.js';
import { loadText } from '../../src/core/load.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet, parseCidr } from '../../src/netpol/sets/ipSet.js';

/** A naive reading of Calico's selector docs, over the printed text's tree (not the parser's). */
function naive(s: CalicoSelector, labels: Record<string, string>): boolean {
  const v = labels[(s as { key?: string }).key ?? ''];
  switch (s.op) {
    case 'all':
      return true;
    case 'global':
      return false;
    case 'has':
      return s.key in labels;
    case 'eq':
      return v !== undefined && v === s.value;
    case 'ne':
      return v === undefined || v !== s.value;
    case 'in':
      return v !== undefined && s.values.includes(v);
    case 'notin':
      return v === undefined || !s.values.includes(v);
    case 'contains':
      return (v ?? '').indexOf(s.value) >= 0;
    case 'starts':
      return (v ?? '').slice(0, s.value.length) === s.value;
    case 'ends':
      return s.value.length === 0 || (v ?? '').slice(-s.value.length) === s.value;
    case 'not':
      return !naive(s.arg, labels);
    case 'and':
      return s.args.every((a) => naive(a, labels));
    case 'or':
      return s.args.some((a) => naive(a, labels));
  }
}

function print(s: CalicoSelector): string {
  switch (s.op) {
    case 'all':
    case 'global':
      return `${s.op}()`;
    case 'has':
      return `has(${s.key})`;
    case 'eq':
      return `${s.key} == '${s.value}'`;
    case 'ne':
      return `${s.key}!="${s.value}"`;
    case 'in':
      return `${s.key} in {${s.values.map((x) => `'${x}'`).join(', ')}}`;
    case 'notin':
      return `${s.key} not in {${s.values.map((x) => `"${x}"`).join(',')}}`;
    case 'contains':
      return `${s.key} contains '${s.value}'`;
    case 'starts':
      return `${s.key} starts with '${s.value}'`;
    case 'ends':
      return `${s.key} ends with '${s.value}'`;
    case 'not':
      return `!(${print(s.arg)})`;
    case 'and':
      return s.args.map((a) => `(${print(a)})`).join(' && ');
    case 'or':
      return s.args.map((a) => `(${print(a)})`).join(' || ');
  }
}

const key = fc.constantFrom('app', 'tier', 'k8s-app', 'example.com/role');
const value = fc.constantFrom('', 'web', 'db', 'web-1', 'a.b');
const leaf: fc.Arbitrary<CalicoSelector> = fc.oneof(
  fc.constant<CalicoSelector>({ op: 'all' }),
  key.map((k): CalicoSelector => ({ op: 'has', key: k })),
  fc.tuple(fc.constantFrom('eq', 'ne', 'contains', 'starts', 'ends') as fc.Arbitrary<'eq' | 'ne' | 'contains' | 'starts' | 'ends'>, key, value).map(([op, k, v]): CalicoSelector => ({ op, key: k, value: v })),
  fc.tuple(fc.constantFrom('in', 'notin') as fc.Arbitrary<'in' | 'notin'>, key, fc.array(value, { minLength: 1, maxLength: 3 })).map(([op, k, vs]): CalicoSelector => ({ op, key: k, values: vs })),
);
const selector = fc.letrec<{ s: CalicoSelector }>((tie) => ({
  s: fc.oneof({ maxDepth: 3, depthIdentifier: 'sel' }, leaf, tie('s').map((a): CalicoSelector => ({ op: 'not', arg: a })), fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and' | 'or'>, fc.array(tie('s'), { minLength: 2, maxLength: 3 })).map(([op, args]): CalicoSelector => ({ op, args }))),
})).s;
const labels = fc.dictionary(key, value, { maxKeys: 4 });

describe('Calico selector language', () => {
  it('parsing the printed expression and evaluating it agrees with a naive interpreter of the tree', () => {
    fc.assert(
      fc.property(selector, labels, (s, l) => {
        expect(evalCalicoSelector(parseCalicoSelector(print(s)), { labels: l, global: false })).toBe(naive(s, l));
      }),
      { numRuns: 300 },
    );
  });

  it('&& binds tighter than ||, and ! applies to the next term', () => {
    const l = { app: 'web' };
    expect(evalCalicoSelector(parseCalicoSelector("has(tier) && has(x) || app == 'web'"), { labels: l, global: false })).toBe(true);
    expect(evalCalicoSelector(parseCalicoSelector("!has(tier) && app == 'db'"), { labels: l, global: false })).toBe(false);
    expect(evalCalicoSelector(parseCalicoSelector("tier != 'x'"), { labels: l, global: false })).toBe(true);
    expect(evalCalicoSelector(parseCalicoSelector("tier not in {'x'}"), { labels: l, global: false })).toBe(true);
  });

  it('refuses malformed expressions with the offset of the problem', () => {
    for (const [text, offset] of [["app == web", 7], ['has(app', 7], ["app === 'x'", 6], ['', 0], ["app in {'a' 'b'}", 12]] as const) {
      expect(() => parseCalicoSelector(text), text).toThrow();
      try {
        parseCalicoSelector(text);
      } catch (e) {
        expect((e as { offset: number }).offset, text).toBe(offset);
      }
    }
  });
});

/** Istio's value matching, read naively from istio.io: exact, "prefix*", "*suffix", "*" = non-empty. */
function naiveIstio(pattern: string, value: string): boolean {
  if (pattern === '*') return value !== '';
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return re.test(value);
}

/**
 * Envoy's URI template matching, read naively from its docs and parser (uri_template_match.proto: "`*` Matches
 * a single path component, up to the next path separator", "`**` Matches zero or more path segments";
 * uri_template_internal.cc: `*` is one or more path characters, `**` zero or more path characters or `/`,
 * path characters being RFC 3986 pchar less `*` and `=`), by backtracking over the template.
 */
const ENVOY_PCHAR = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~%!$&'()+,;:@";
function naiveTemplate(t: string, v: string): boolean {
  if (t === '') return v === '';
  if (t.startsWith('{**}')) {
    for (let k = 0; k <= v.length; k++) {
      if (k > 0 && !ENVOY_PCHAR.includes(v[k - 1]!) && v[k - 1] !== '/') return false;
      if (naiveTemplate(t.slice(4), v.slice(k))) return true;
    }
    return false;
  }
  if (t.startsWith('{*}')) {
    for (let k = 1; k <= v.length; k++) {
      if (!ENVOY_PCHAR.includes(v[k - 1]!)) return false;
      if (naiveTemplate(t.slice(3), v.slice(k))) return true;
    }
    return false;
  }
  return v !== '' && v[0] === t[0] && naiveTemplate(t.slice(1), v.slice(1));
}
const naivePattern = (p: string, v: string): boolean => (p.includes('{*}') || p.includes('{**}') ? naiveTemplate(p, v) : naiveIstio(p, v));

/** Templates Istio and Envoy accept: `/`-separated `{*}`, `{**}` or literal segments, nothing after `{**}` but literals. */
const template = fc
  .tuple(fc.array(fc.constantFrom('a', 'b', 'v1', 'x.y', '{*}'), { maxLength: 3 }), fc.option(fc.constant('{**}'), { nil: undefined }), fc.array(fc.constantFrom('a', 'b', ':p'), { maxLength: 2 }), fc.boolean())
  .map(([head, any, tail, slash]) => ({ segs: [...head, ...(any ? [any] : []), ...tail], slash }))
  .filter(({ segs }) => segs.some((x) => x.startsWith('{')))
  .map(({ segs, slash }) => `/${segs.join('/')}${slash ? '/' : ''}`);
const templatePath = fc.array(fc.constantFrom('/', 'a', 'b', 'v1', 'x.y', ':p', '=', '*', '~'), { maxLength: 7 }).map((p) => p.join(''));

describe('Istio path templates', () => {
  it('every generated template is one Istio and Envoy accept', () => {
    fc.assert(
      fc.property(template, (t) => {
        expect(pathTemplateProblem(t), t).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('match like the naive backtracking reading of Envoy uri_template', () => {
    fc.assert(
      fc.property(template, templatePath, (t, v) => {
        expect(patternMatch(t, v), `${t} ${v}`).toBe(naiveTemplate(t, v));
      }),
      { numRuns: 2000 },
    );
  });

  it('string classes with templates, prefixes, suffixes and exact paths: every path has a class, and the class is in exactly the patterns that match the path', () => {
    const istioPath = fc.oneof(templatePath.filter((t) => !t.includes('*')), templatePath.filter((t) => !t.includes('*')).map((t) => `${t}*`), templatePath.filter((t) => !t.includes('*')).map((t) => `*${t}`), fc.constant('*'));
    fc.assert(
      fc.property(fc.array(fc.oneof(template, istioPath), { minLength: 1, maxLength: 5 }), fc.array(templatePath.filter((t) => t !== ''), { minLength: 1, maxLength: 8 }), (pats, values) => {
        const classes = new StringClasses(pats, false);
        for (const v of values) {
          const c = classes.classOf(v);
          expect(c, v).toBeDefined();
          for (const p of pats) expect(classes.classesOf(p).includes(c!), `${p} ${v}`).toBe(naivePattern(p, v));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('host classes with Ingress one-label wildcards beside Istio suffix wildcards', () => {
  /** `{label}.x`: "matches only a single label" (k8s.io/api networking/v1 IngressRule.Host); Istio's `*.x` any number of them. */
  const naiveHost = (p: string, v: string): boolean => {
    if (!p.startsWith('{label}')) return naiveIstio(p, v);
    const dot = v.indexOf('.');
    return dot > 0 && v.slice(dot) === p.slice('{label}'.length);
  };
  const host = fc.array(fc.constantFrom('a', 'b', 'foo', 'com', '.'), { minLength: 1, maxLength: 5 }).map((x) => x.join(''));
  const hostPattern = fc.oneof(host, host.map((h) => `*.${h}`), host.map((h) => `{label}.${h}`), fc.constant('*'));
  it('every host has a class, in exactly the patterns that match it (case-insensitive)', () => {
    fc.assert(
      fc.property(fc.array(hostPattern, { minLength: 1, maxLength: 5 }), fc.array(host, { minLength: 1, maxLength: 8 }), (pats, values) => {
        const classes = new StringClasses(pats, true);
        for (const v of values) {
          const c = classes.classOf(v.toUpperCase());
          expect(c, v).toBeDefined();
          for (const p of pats) expect(classes.classesOf(p).includes(c!), `${p} ${v}`).toBe(naiveHost(p, v));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Istio path matching', () => {
  const piece = fc.constantFrom('/', 'a', 'b', '/v1', 'models', ':predict', 'iris');
  const text = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''));
  const pattern = fc.oneof(text, text.map((t) => `${t}*`), text.map((t) => `*${t}`), fc.constant('*'));

  it('matches like the naive matcher', () => {
    fc.assert(
      fc.property(pattern, text, (p, v) => {
        expect(istioMatch(p, v), `${p} ${v}`).toBe(naiveIstio(p, v));
      }),
      { numRuns: 500 },
    );
  });

  it('string classes: a value is in the class of every pattern that matches it, and of no other', () => {
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 5 }), fc.array(text.filter((t) => t !== ''), { minLength: 1, maxLength: 6 }), (pats, values) => {
        const classes = new StringClasses(pats, false);
        for (const v of values) {
          const c = classes.classOf(v);
          // Every value has a class: the witnesses cover each combination of patterns a value can match.
          expect(c, v).toBeDefined();
          for (const p of pats) expect(classes.classesOf(p).includes(c!), `${p} ${v}`).toBe(naiveIstio(p, v));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/* ------------------------------------------------------------------------------------------------
 * Cilium: the layer against a naive per-connection reading of Cilium's policy docs, written from
 * the raw policy objects (not the parser's rules).
 * --------------------------------------------------------------------------------------------- */

interface RawPod {
  ns: string;
  name: string;
  app: string;
  sa: string;
  /** The port named "web", if the pod has one. */
  web?: number;
}

type Sel = { matchLabels?: Record<string, string> };
type RawService = { k8sService: { serviceName: string; namespace?: string } } | { k8sServiceSelector: { selector: Sel; namespace?: string } };
type RawFqdn = { matchName: string } | { matchPattern: string };
interface RawRule {
  toEndpoints?: Sel[];
  toServices?: RawService[];
  toFQDNs?: RawFqdn[];
  toEntities?: string[];
  toCIDR?: string[];
  toCIDRSet?: { cidr: string; except: string[] }[];
  toPorts?: { ports: { port: string; endPort?: number; protocol?: string }[]; rules?: { http: { method: string }[] } | { dns: RawFqdn[] } }[];
  icmps?: { fields: { type: number }[] }[];
}
interface RawPolicy {
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  ns: string;
  selector: Sel;
  ingress?: RawRule[];
  ingressDeny?: RawRule[];
  egress?: RawRule[];
  egressDeny?: RawRule[];
  enableDefaultDeny?: { ingress?: boolean; egress?: boolean };
}

const PODS: RawPod[] = [
  { ns: 'a', name: 'p1', app: 'web', sa: 'front', web: 8080 },
  { ns: 'a', name: 'p2', app: 'db', sa: 'back' },
  { ns: 'b', name: 'p3', app: 'web', sa: 'front', web: 8050 },
  { ns: 'b', name: 'p4', app: 'cli', sa: 'cli' },
];
const IPS = ['10.1.2.3', '10.2.0.1', '8.8.8.8'];
/** The ServiceEntry hosts, destinations named by DNS names (`dns:<host>`). */
const HOSTS = ['api.example.com', 'db.example.org'];

/**
 * Services for toServices: `web` (selector app=web in a: its pods), `ext` (no selector, labels
 * tier=ext, one Endpoints address 8.8.8.8), `ghost` (no selector, no endpoints: nothing).
 */
const SERVICES = [
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'b', labels: { tier: 'ext' } }, spec: { ports: [{ port: 80 }] } },
  { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'ext', namespace: 'b' }, subsets: [{ addresses: [{ ip: '8.8.8.8' }] }] },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'ghost', namespace: 'a', labels: { tier: 'ext' } }, spec: { ports: [{ port: 80 }] } },
  { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'outside', namespace: 'a' }, spec: { hosts: HOSTS } },
];

function podsYaml(): string {
  return [
    ...PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: { app: p.app } }, spec: { serviceAccountName: p.sa, containers: [{ name: 'c', image: 'x', ...(p.web ? { ports: [{ name: 'web', containerPort: p.web }] } : {}) }] } })),
    ...SERVICES,
  ]
    .map((o) => JSON.stringify(o))
    .join('\n---\n');
}

/** Cilium's DNS names, read from the docs' words ("`*` within a domain allows 0 or more valid DNS characters, except for the `.` separator"; "`*` alone matches all names"). */
function nameMatches(f: RawFqdn, name: string): boolean {
  if ('matchName' in f) return f.matchName === name;
  if (f.matchPattern === '*') return true;
  const labels = f.matchPattern.split('.');
  const got = name.split('.');
  return labels.length === got.length && labels.every((l, i) => (l.startsWith('*') ? got[i]!.endsWith(l.slice(1)) : l === got[i]));
}

/** A name each generated toFQDNs selector matches (to ask the DNS rules whether Cilium learns its addresses). */
const fqdnWitness = (f: RawFqdn): string => ('matchName' in f ? f.matchName : f.matchPattern.replace('*', 'x'));

/** The service a toServices entry names, as pkg/policy/k8s/service.go matches (a namespace left out: any). */
function serviceMatches(s: RawService, svc: { name: string; ns: string; labels: Record<string, string> }): boolean {
  if ('k8sServiceSelector' in s) return (s.k8sServiceSelector.namespace ?? svc.ns) === svc.ns && Object.entries(s.k8sServiceSelector.selector.matchLabels ?? {}).every(([k, v]) => svc.labels[k] === v);
  return (s.k8sService.namespace ?? svc.ns) === svc.ns && s.k8sService.serviceName === svc.name;
}
const WEB = { name: 'web', ns: 'a', labels: {} };
const EXT = { name: 'ext', ns: 'b', labels: { tier: 'ext' } };

function policyYaml(p: RawPolicy, i: number): string {
  const { kind, ns, selector, ...rest } = p;
  return JSON.stringify({ apiVersion: 'cilium.io/v2', kind, metadata: { name: `p${i}`, ...(kind === 'CiliumNetworkPolicy' ? { namespace: ns } : {}) }, spec: { endpointSelector: selector, ...rest } });
}

const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const ciliumLabels = (p: RawPod): Record<string, string> => ({ app: p.app, [NAMESPACE_KEY]: p.ns, 'io.cilium.k8s.policy.serviceaccount': p.sa, 'io.cilium.k8s.policy.cluster': 'default', 'io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name': p.ns });
const selMatches = (s: Sel, p: RawPod): boolean => Object.entries(s.matchLabels ?? {}).every(([k, v]) => ciliumLabels(p)[k] === v);

function ipIn(ip: string, cidr: string): boolean {
  const n = (x: string): number => x.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const [base, len] = cidr.split('/');
  const size = 2 ** (32 - Number(len));
  return Math.floor(n(ip) / size) === Math.floor(n(base!) / size);
}

interface Conn {
  proto: 'TCP' | 'UDP' | 'ICMP';
  port: number;
  icmpType: number;
  method: 'GET' | 'POST';
}

/** A peer: a pod, an outside address, or a ServiceEntry host `{ host }`. `dnsNames`: the names the subject's DNS rules let through. */
function naiveRuleMatches(rule: RawRule, policy: RawPolicy, peer: RawPod | string | { host: string }, dst: RawPod | string | { host: string }, c: Conn, dnsNames: readonly RawFqdn[] = []): boolean {
  const hasL3 = rule.toEndpoints || rule.toEntities || rule.toCIDR || rule.toCIDRSet || rule.toServices || rule.toFQDNs;
  const learnt = (name: string): boolean => dnsNames.some((d) => nameMatches(d, name));
  let l3: boolean;
  if (!hasL3) l3 = rule.toPorts !== undefined || rule.icmps !== undefined;
  else if (typeof peer === 'object' && 'host' in peer) l3 = (rule.toEntities ?? []).some((e) => e === 'world' || e === 'all') || (rule.toFQDNs ?? []).some((f) => nameMatches(f, peer.host) && learnt(peer.host));
  else if (typeof peer === 'string')
    l3 =
      (rule.toEntities ?? []).some((e) => e === 'world' || e === 'all') ||
      (rule.toCIDR ?? []).some((x) => ipIn(peer, x)) ||
      (rule.toCIDRSet ?? []).some((x) => ipIn(peer, x.cidr) && !x.except.some((e) => ipIn(peer, e))) ||
      (peer === '8.8.8.8' && (rule.toServices ?? []).some((s) => serviceMatches(s, EXT))) ||
      (rule.toFQDNs ?? []).some((f) => learnt(fqdnWitness(f)));
  else
    l3 =
      (rule.toEntities ?? []).some((e) => e === 'cluster' || e === 'all') ||
      (rule.toEndpoints ?? []).some((s) => selMatches(s, peer) && (policy.kind === 'CiliumClusterwideNetworkPolicy' || NAMESPACE_KEY in (s.matchLabels ?? {}) || peer.ns === policy.ns)) ||
      (peer.ns === 'a' && peer.app === 'web' && (rule.toServices ?? []).some((s) => serviceMatches(s, WEB)));
  if (!l3) return false;
  if (rule.icmps) return c.proto === 'ICMP' && rule.icmps.some((i) => i.fields.some((f) => f.type === c.icmpType));
  if (!rule.toPorts) return true;
  return rule.toPorts.some((pr) =>
    pr.ports.some((port) => {
      const proto = port.protocol ?? 'ANY';
      if (c.proto === 'ICMP' || (proto !== 'ANY' && proto !== c.proto)) return false;
      if (pr.rules && 'http' in pr.rules && (c.proto !== 'TCP' || !pr.rules.http.some((h) => h.method === c.method))) return false;
      if (port.port === '0') return true;
      // A named port resolves on the destination's container ports (all TCP here); a protocol other than ANY must be the port's.
      if (port.port === 'web') return typeof dst !== 'string' && 'web' in dst && dst.web === c.port && (proto === 'ANY' || proto === 'TCP');
      // keysForRange: an endPort not above port leaves the single port.
      return Number(port.port) <= c.port && c.port <= Math.max(port.endPort ?? 0, Number(port.port));
    }),
  );
}

function naiveSide(policies: RawPolicy[], subject: RawPod, direction: 'ingress' | 'egress', peer: RawPod | string | { host: string }, dst: RawPod | string | { host: string }, c: Conn): boolean {
  const selecting = policies.filter((p) => (p.kind === 'CiliumClusterwideNetworkPolicy' || p.ns === subject.ns) && selMatches(p.selector, subject));
  const rulesOf = (p: RawPolicy, deny: boolean): RawRule[] => (direction === 'ingress' ? (deny ? p.ingressDeny : p.ingress) : deny ? p.egressDeny : p.egress) ?? [];
  // The names Cilium's DNS proxy lets through for the subject: every dns rule of its egress policies.
  const dnsNames = selecting.flatMap((p) => (p.egress ?? []).flatMap((r) => (r.toPorts ?? []).flatMap((pr) => (pr.rules && 'dns' in pr.rules ? pr.rules.dns : []))));
  // Only a direction's rules carry a policy's default deny (RulesToPolicyEntries): enableDefaultDeny alone does nothing.
  const inDirection = selecting.filter((p) => rulesOf(p, false).length + rulesOf(p, true).length > 0);
  if (inDirection.length === 0) return true;
  const defaultDeny = inDirection.some((p) => p.enableDefaultDeny?.[direction] ?? true);
  const denied = inDirection.some((p) => rulesOf(p, true).some((r) => naiveRuleMatches(r, p, peer, dst, c)));
  const allowed = !defaultDeny || inDirection.some((p) => rulesOf(p, false).some((r) => naiveRuleMatches(r, p, peer, dst, c, dnsNames)));
  return allowed && !denied;
}

describe('Cilium layer', () => {
  const sel: fc.Arbitrary<Sel> = fc.oneof(fc.constant({}), fc.constantFrom('web', 'db', 'cli').map((app) => ({ matchLabels: { app } })), fc.constantFrom('a', 'b').map((ns) => ({ matchLabels: { [NAMESPACE_KEY]: ns } })), fc.constant({ matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'front' } }));
  const l3: fc.Arbitrary<Partial<RawRule>> = fc.oneof(
    fc.constant({}),
    fc.array(sel, { minLength: 1, maxLength: 2 }).map((s) => ({ toEndpoints: s })),
    fc.subarray(['cluster', 'world', 'all', 'host'], { minLength: 1 }).map((e) => ({ toEntities: e })),
    fc.constant<Partial<RawRule>>({ toCIDR: ['10.0.0.0/8'] }),
    fc.constant<Partial<RawRule>>({ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] }),
    // An empty list selects nothing (mergeEndpointSelectors), not every peer.
    fc.constant<Partial<RawRule>>({ toEndpoints: [] }),
  );
  const service: fc.Arbitrary<RawService> = fc.constantFrom<RawService>(
    { k8sService: { serviceName: 'web' } },
    { k8sService: { serviceName: 'web', namespace: 'a' } },
    { k8sService: { serviceName: 'web', namespace: 'b' } },
    { k8sService: { serviceName: 'ext', namespace: 'b' } },
    { k8sService: { serviceName: 'ghost' } },
    { k8sServiceSelector: { selector: { matchLabels: { tier: 'ext' } } } },
    { k8sServiceSelector: { selector: { matchLabels: { tier: 'ext' } }, namespace: 'a' } },
  );
  const fqdn: fc.Arbitrary<RawFqdn> = fc.constantFrom<RawFqdn>({ matchName: 'api.example.com' }, { matchName: 'db.example.org' }, { matchPattern: '*.example.org' }, { matchPattern: '*' });
  // toServices and toFQDNs are egress only.
  const egressL3: fc.Arbitrary<Partial<RawRule>> = fc.oneof(l3, fc.array(service, { minLength: 1, maxLength: 2 }).map((s) => ({ toServices: s })), fc.array(fqdn, { minLength: 1, maxLength: 2 }).map((f) => ({ toFQDNs: f })));
  const dnsRule: fc.Arbitrary<Partial<RawRule>> = fc.array(fqdn, { minLength: 1, maxLength: 2 }).map((names) => ({ toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: names } }] }));
  const port = fc.oneof(
    fc.record({ port: fc.constantFrom('80', '0', 'web', '8080'), protocol: fc.constantFrom('TCP', 'UDP', 'ANY') }),
    fc.record({ port: fc.constantFrom('8000', '8080'), endPort: fc.constantFrom(8060, 8000), protocol: fc.constantFrom('TCP', 'ANY') }),
  );
  // HTTP rules only on TCP ports other than 0 (PortRule.sanitize refuses the others).
  const httpPort = fc.oneof(fc.record({ port: fc.constantFrom('80', 'web', '8080'), protocol: fc.constant('TCP' as const) }), fc.record({ port: fc.constant('8000'), endPort: fc.constant(8060), protocol: fc.constant('TCP' as const) }));
  const l4 = (allowL7: boolean): fc.Arbitrary<Partial<RawRule>> =>
    fc.oneof(
      fc.constant({}),
      fc.array(port, { minLength: 1, maxLength: 2 }).map((ports) => ({ toPorts: [{ ports }] })),
      ...(allowL7 ? [fc.tuple(fc.array(httpPort, { minLength: 1, maxLength: 2 }), fc.subarray(['GET', 'POST'], { minLength: 1 })).map(([ports, methods]) => ({ toPorts: [{ ports, rules: { http: methods.map((method) => ({ method })) } }] }))] : []),
      fc.constant<Partial<RawRule>>({ icmps: [{ fields: [{ type: 8 }] }] }),
    );
  const rule = (allowL7: boolean): fc.Arbitrary<RawRule> => fc.tuple(l3, l4(allowL7)).map(([a, b]) => ({ ...a, ...b }));
  const egressRule: fc.Arbitrary<RawRule> = fc.oneof(
    fc.tuple(egressL3, l4(true)).map(([a, b]) => ({ ...a, ...b })),
    fc.tuple(l3, dnsRule).map(([a, b]) => ({ ...a, ...b })),
  );
  // egressDeny has no toFQDNs (api.EgressDenyRule).
  const egressDenyRule: fc.Arbitrary<RawRule> = fc.tuple(fc.oneof(l3, fc.array(service, { minLength: 1, maxLength: 2 }).map((s) => ({ toServices: s }))), l4(false)).map(([a, b]) => ({ ...a, ...b }));
  const toIngress = (r: RawRule): Record<string, unknown> => Object.fromEntries(Object.entries(r).map(([k, v]) => [k.replace(/^to(Endpoints|Entities|CIDR|CIDRSet)$/, 'from$1'), v]));
  const policy: fc.Arbitrary<RawPolicy> = fc.record(
    {
      kind: fc.constantFrom('CiliumNetworkPolicy', 'CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'),
      ns: fc.constantFrom('a', 'b'),
      selector: sel,
      ingress: fc.array(rule(true), { maxLength: 2 }),
      ingressDeny: fc.array(rule(false), { maxLength: 1 }),
      egress: fc.array(egressRule, { maxLength: 2 }),
      egressDeny: fc.array(egressDenyRule, { maxLength: 1 }),
      enableDefaultDeny: fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
    },
    { requiredKeys: ['kind', 'ns', 'selector'] },
  ).filter((p) => [p.ingress, p.ingressDeny, p.egress, p.egressDeny].some((rules) => (rules ?? []).length > 0)); // Sanitize refuses a rule without any
  const conn: fc.Arbitrary<Conn> = fc.record({ proto: fc.constantFrom('TCP', 'UDP', 'ICMP'), port: fc.constantFrom(80, 443, 8050, 8080), icmpType: fc.constantFrom(0, 8), method: fc.constantFrom('GET', 'POST') });

  it('every pod-to-pod and pod-to-address connection is allowed exactly when the naive reading allows it', () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), fc.array(conn, { minLength: 1, maxLength: 4 }), (policies, conns) => {
        // The parser reads ingress rules with from* keys; the naive reader keeps to* names for both directions.
        const text = [podsYaml(), ...policies.map((p, i) => policyYaml({ ...p, ...(p.ingress ? { ingress: p.ingress.map(toIngress) as RawRule[] } : {}), ...(p.ingressDeny ? { ingressDeny: p.ingressDeny.map(toIngress) as RawRule[] } : {}) }, i))].join('\n---\n');
        const loaded = loadText('cilium.yaml', text);
        const model = buildMeshModel(loaded.resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const eps = new Map(model.topology.endpoints.map((ep) => [ep.name, ep]));
        for (const c of conns) {
          const point = [c.proto === 'TCP' ? 6 : c.proto === 'UDP' ? 17 : 1, 40000, c.proto === 'ICMP' ? 1 : c.port, c.icmpType, 0, c.method === 'GET' ? 0 : 2, 0, 0, 0];
          for (const s of PODS) {
            for (const t of [...PODS, ...IPS]) {
              if (s === t) continue;
              const dst = typeof t === 'string' ? ipPeer(t) : eps.get(`${t.ns}/${t.name}`)!;
              const got = allowedBetween(model, eps.get(`${s.ns}/${s.name}`)!, dst).contains(point);
              const want = naiveSide(policies, s, 'egress', t, t, c) && (typeof t === 'string' || naiveSide(policies, t, 'ingress', s, t, c));
              expect(got, `${s.name} -> ${typeof t === 'string' ? t : t.name} ${JSON.stringify(c)}`).toBe(want);
            }
            // To a ServiceEntry host: the source's Cilium egress, by name, over TCP (the sidecar's; non-TCP is not the proxy's, ALLOW_ANY).
            for (const host of HOSTS) {
              const got = allowedBetween(model, eps.get(`${s.ns}/${s.name}`)!, model.sidecars.dnsEntries.find((e) => e.name === `dns:${host}`)!).contains(point);
              expect(got, `${s.name} -> dns:${host} ${JSON.stringify(c)}`).toBe(c.proto === 'TCP' && naiveSide(policies, s, 'egress', { host }, { host }, c));
            }
            // From an outside address to the pod: only the pod's ingress decides.
            for (const ip of IPS) {
              const got = allowedBetween(model, ipPeer(ip), eps.get(`${s.ns}/${s.name}`)!).contains(point);
              expect(got, `${ip} -> ${s.name} ${JSON.stringify(c)}`).toBe(naiveSide(policies, s, 'ingress', ip, s, c));
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});

function ipPeer(ip: string): IpSet {
  const parsed = parseCidr(`${ip}/32`)!;
  return IpSet.range(parsed.family, parsed.first, parsed.last);
}
