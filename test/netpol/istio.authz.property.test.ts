import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet, parseCidr } from '../../src/netpol/sets/ipSet.js';

/**
 * The Istio layer against a naive per-request reading of istio.io ("Authorization Policy",
 * "PeerAuthentication", ISTIO-SECURITY-2021-004), written from the raw objects: a destination without
 * a sidecar enforces nothing, and non-TCP passes; STRICT mTLS refuses plaintext (a pod without a
 * sidecar, an outside address); DENY policies that match deny, then no ALLOW policy allows, else an
 * ALLOW that matches allows. Policies of the root namespace (istio-system) apply everywhere. A source
 * entry matches when all its fields do; identity fields read the peer's certificate, empty in plaintext
 * (and everywhere on a DISABLE destination). Pod addresses are not in manifests: ipBlocks match outside
 * addresses only (the engine's stated assumption).
 */
interface Pod {
  ns: string;
  name: string;
  app: string;
  sa: string;
  sidecar: boolean;
}
const PODS: Pod[] = [
  { ns: 'a', name: 'p1', app: 'web', sa: 'front', sidecar: true },
  { ns: 'a', name: 'p2', app: 'db', sa: 'back', sidecar: true },
  { ns: 'b', name: 'p3', app: 'web', sa: 'front', sidecar: true },
  { ns: 'b', name: 'p4', app: 'cli', sa: 'cli', sidecar: false },
];
const IPS = ['10.1.2.3', '8.8.8.8'];

interface Source {
  principals?: string[];
  notPrincipals?: string[];
  namespaces?: string[];
  notNamespaces?: string[];
  /** `<ns>/<name>`, or `<name>` in the policy's namespace (never with principals or namespaces). */
  serviceAccounts?: string[];
  notServiceAccounts?: string[];
  ipBlocks?: string[];
}
interface Operation {
  methods?: string[];
  notMethods?: string[];
  paths?: string[];
  notPaths?: string[];
  ports?: string[];
}
interface Rule {
  from?: Source[];
  to?: Operation[];
}
interface Policy {
  ns: string;
  action: 'ALLOW' | 'DENY';
  app?: string;
  rules: Rule[];
}
interface Mtls {
  ns: string;
  mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
}
interface Req {
  proto: 'TCP' | 'UDP';
  port: number;
  method: string;
  path: string;
}

/** istio.io string match: exact, `prefix*`, `*suffix`, `*` (non-empty). */
/**
 * A path template (Istio 1.22+, an Envoy uri_template): `{*}` is one or more path characters (RFC 3986
 * pchar less `*` and `=`), `{**}` zero or more of them or `/`; read by backtracking.
 */
function templateMatch(t: string, v: string): boolean {
  const pchar = (c: string): boolean => /^[a-zA-Z0-9\-._~%!$&'()+,;:@]$/.test(c);
  if (t === '') return v === '';
  for (const [op, min, ok] of [['{**}', 0, (c: string) => pchar(c) || c === '/'], ['{*}', 1, pchar]] as const) {
    if (!t.startsWith(op)) continue;
    for (let k = 0; k <= v.length; k++) {
      if (k > 0 && !ok(v[k - 1]!)) return false;
      if (k >= min && templateMatch(t.slice(op.length), v.slice(k))) return true;
    }
    return false;
  }
  return v[0] === t[0] && templateMatch(t.slice(1), v.slice(1));
}

function match(pattern: string, value: string): boolean {
  if (pattern.includes('{*}') || pattern.includes('{**}')) return templateMatch(pattern, value);
  if (pattern === '*') return value !== '';
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
}

function inCidr(ip: string, cidr: string): boolean {
  const n = (x: string): number => x.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const [base, len] = cidr.includes('/') ? cidr.split('/') : [cidr, '32'];
  const size = 2 ** (32 - Number(len));
  return Math.floor(n(ip) / size) === Math.floor(n(base!) / size);
}

function mtlsMode(mtls: Mtls[], dst: Pod): Mtls['mode'] {
  return (mtls.find((m) => m.ns === dst.ns) ?? mtls.find((m) => m.ns === 'istio-system'))?.mode ?? 'PERMISSIVE';
}

function naive(policies: Policy[], mtls: Mtls[], src: Pod | string, dst: Pod, r: Req): boolean {
  if (!dst.sidecar || r.proto !== 'TCP') return true;
  const mode = mtlsMode(mtls, dst);
  const plaintext = typeof src === 'string' || !src.sidecar || mode === 'DISABLE';
  if (mode === 'STRICT' && (typeof src === 'string' || !src.sidecar)) return false;
  const principal = plaintext || typeof src === 'string' ? '' : `cluster.local/ns/${src.ns}/sa/${src.sa}`;
  const namespace = plaintext || typeof src === 'string' ? '' : src.ns;
  const serviceAccount = plaintext || typeof src === 'string' ? '' : `${src.ns}/${src.sa}`;
  const saOf = (entry: string, policyNs: string): string => (entry.includes('/') ? entry : `${policyNs}/${entry}`);
  const sourceMatches = (s: Source, policyNs: string): boolean =>
    (!s.serviceAccounts || s.serviceAccounts.some((v) => saOf(v, policyNs) === serviceAccount)) &&
    (!s.notServiceAccounts || !s.notServiceAccounts.some((v) => saOf(v, policyNs) === serviceAccount)) &&
    (!s.principals || s.principals.some((p) => match(p, principal))) &&
    (!s.notPrincipals || !s.notPrincipals.some((p) => match(p, principal))) &&
    (!s.namespaces || s.namespaces.some((p) => match(p, namespace))) &&
    (!s.notNamespaces || !s.notNamespaces.some((p) => match(p, namespace))) &&
    (!s.ipBlocks || (typeof src === 'string' && s.ipBlocks.some((c) => inCidr(src, c))));
  const opMatches = (o: Operation): boolean =>
    (!o.methods || o.methods.includes(r.method)) &&
    (!o.notMethods || !o.notMethods.includes(r.method)) &&
    (!o.paths || o.paths.some((p) => match(p, r.path))) &&
    (!o.notPaths || !o.notPaths.some((p) => match(p, r.path))) &&
    (!o.ports || o.ports.includes(String(r.port)));
  const ruleMatches = (rule: Rule, policyNs: string): boolean => (!rule.from || rule.from.some((s) => sourceMatches(s, policyNs))) && (!rule.to || rule.to.some(opMatches));
  const applying = policies.filter((p) => (p.ns === dst.ns || p.ns === 'istio-system') && (!p.app || p.app === dst.app));
  if (applying.some((p) => p.action === 'DENY' && p.rules.some((rule) => ruleMatches(rule, p.ns)))) return false;
  const allows = applying.filter((p) => p.action === 'ALLOW');
  return allows.length === 0 || allows.some((p) => p.rules.some((rule) => ruleMatches(rule, p.ns)));
}

function yamlOf(policies: Policy[], mtls: Mtls[]): string {
  const docs: unknown[] = PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: { app: p.app }, ...(p.sidecar ? {} : { annotations: { 'sidecar.istio.io/inject': 'false' } }) }, spec: { serviceAccountName: p.sa, containers: [{ name: 'c', image: 'x' }] } }));
  policies.forEach((p, i) => docs.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `ap${i}`, namespace: p.ns }, spec: { action: p.action, ...(p.app ? { selector: { matchLabels: { app: p.app } } } : {}), rules: p.rules.map((r) => ({ ...(r.from ? { from: r.from.map((source) => ({ source })) } : {}), ...(r.to ? { to: r.to.map((operation) => ({ operation })) } : {}) })) } }));
  mtls.forEach((m, i) => docs.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: `pa${i}`, namespace: m.ns }, spec: { mtls: { mode: m.mode } } }));
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined, freq: 2 });
const principal = fc.constantFrom('cluster.local/ns/a/sa/front', 'cluster.local/ns/b/sa/front', 'cluster.local/ns/a/*', '*/sa/front', '*');
const nsPattern = fc.constantFrom('a', 'b', 'a*', '*');
const serviceAccount = fc.constantFrom('front', 'back', 'a/back', 'b/front', 'b/cli');
const source: fc.Arbitrary<Source> = fc.oneof(
  fc.record({ principals: opt(fc.array(principal, { minLength: 1, maxLength: 2 })), notPrincipals: opt(fc.array(principal, { minLength: 1, maxLength: 2 })), namespaces: opt(fc.array(nsPattern, { minLength: 1, maxLength: 2 })), notNamespaces: opt(fc.array(nsPattern, { minLength: 1, maxLength: 2 })) }, { requiredKeys: [] }),
  fc.record({ serviceAccounts: opt(fc.array(serviceAccount, { minLength: 1, maxLength: 2 })), notServiceAccounts: opt(fc.array(serviceAccount, { minLength: 1, maxLength: 2 })) }, { requiredKeys: [] }),
  fc.constantFrom<Source>({ ipBlocks: ['10.0.0.0/8'] }, { ipBlocks: ['8.8.8.8'] }),
);
const path = fc.constantFrom('/v1/*', '/healthz', '*z', '*', '/v1/{*}', '/v1/{**}', '/{*}/models/{*}', '/{**}/iris:predict', '/{*}');
const operation: fc.Arbitrary<Operation> = fc.record({ methods: opt(fc.subarray(['GET', 'POST'], { minLength: 1 })), notMethods: opt(fc.constant(['POST'])), paths: opt(fc.array(path, { minLength: 1, maxLength: 2 })), notPaths: opt(fc.array(path, { minLength: 1, maxLength: 1 })), ports: opt(fc.constantFrom(['80'], ['8080'], ['80', '8080'])) }, { requiredKeys: [] });
const rule: fc.Arbitrary<Rule> = fc.record({ from: opt(fc.array(source, { minLength: 1, maxLength: 2 })), to: opt(fc.array(operation, { minLength: 1, maxLength: 2 })) }, { requiredKeys: [] });
const policy: fc.Arbitrary<Policy> = fc.record({ ns: fc.constantFrom('a', 'b', 'istio-system'), action: fc.constantFrom('ALLOW', 'DENY', 'ALLOW'), app: opt(fc.constantFrom('web', 'db', 'cli')), rules: fc.array(rule, { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['ns', 'action', 'rules'] });
const mtls: fc.Arbitrary<Mtls[]> = fc.uniqueArray(fc.record({ ns: fc.constantFrom('a', 'b', 'istio-system'), mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE') }), { selector: (m) => m.ns, maxLength: 2 });
const request: fc.Arbitrary<Req> = fc.record({ proto: fc.constantFrom('TCP', 'TCP', 'UDP'), port: fc.constantFrom(80, 8080), method: fc.constantFrom('GET', 'POST', 'PUT'), path: fc.constantFrom('/v1/models', '/healthz', '/', '/v1/', '/v1/models/iris:predict', '/v1/a=b', '/v1/models/x/y') });

function ipPeer(ip: string): IpSet {
  const parsed = parseCidr(`${ip}/32`)!;
  return IpSet.range(parsed.family, parsed.first, parsed.last);
}

describe('Istio layer (AuthorizationPolicy + PeerAuthentication)', () => {
  it('every request from a pod or an outside address is allowed exactly when the naive reading allows it', () => {
    fc.assert(
      fc.property(fc.array(policy, { maxLength: 4 }), mtls, fc.array(request, { minLength: 1, maxLength: 4 }), (policies, modes, requests) => {
        const model = buildMeshModel(loadText('in.yaml', yamlOf(policies, modes)).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const ep = (p: Pod) => model.topology.endpoints.find((e) => e.name === `${p.ns}/${p.name}`)!;
        for (const r of requests) {
          // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
          const point = [r.proto === 'TCP' ? 6 : 17, 1000, r.port, 0, 0, METHODS.indexOf(r.method as (typeof METHODS)[number]), model.paths.classOf(r.path)!, 0, 0];
          for (const dst of PODS) {
            for (const src of [...PODS, ...IPS]) {
              if (src === dst) continue;
              const got = model.istio.verdict(ep(dst), typeof src === 'string' ? ipPeer(src) : ep(src)).allowed.contains(point);
              const want = naive(policies, modes, src, dst, r);
              if (got !== want) expect({ src: typeof src === 'string' ? src : src.name, dst: dst.name, r, got }).toEqual({ src: typeof src === 'string' ? src : src.name, dst: dst.name, r, got: want });
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
