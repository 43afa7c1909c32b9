import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * Calico tiers against a naive per-connection reading of docs.tigera.io ("Tier", "How policy is
 * evaluated"): each tier with a policy that applies to the endpoint processes the connection, tiers
 * by order (smallest first, none last), policies by order within a tier; Allow and Deny end it, Pass
 * goes to the next tier; a tier that takes no action denies, unless its defaultAction is Pass; after
 * the last tier, the profile (allow). Policies without tier and Kubernetes NetworkPolicies are in the
 * default tier, order 1,000,000. Rules may carry `http` (methods OR'd, paths OR'd — exact or prefix —
 * the two AND'ed; "Use HTTP methods and paths in policy rules"): on an ingress rule it narrows the
 * rule to those requests, which are TCP only; on an egress rule Calico does not apply it (reported).
 * Policies are Ingress or Egress; a connection is judged at the destination's ingress and at the
 * source's egress, each by the policies of that direction.
 */
interface Pod {
  ns: string;
  name: string;
  app: string;
}
const PODS: Pod[] = [
  { ns: 'a', name: 'p1', app: 'web' },
  { ns: 'a', name: 'p2', app: 'db' },
  { ns: 'b', name: 'p3', app: 'cli' },
];
const SELECTORS: Record<string, (p: Pod) => boolean> = {
  'all()': () => true,
  "app == 'web'": (p) => p.app === 'web',
  "app != 'db'": (p) => p.app !== 'db',
  "app in {'db', 'cli'}": (p) => p.app === 'db' || p.app === 'cli',
};
const PORTS = [80, 443];
const METHOD_PROBES = ['GET', 'POST', 'DELETE', 'PUT'];
const PATH_PROBES = ['/', '/healthz', '/healthz/x', '/v1', '/v1/models/iris', '/v2'];

type HttpPath = { exact: string } | { prefix: string };
interface Rule {
  action: 'Allow' | 'Deny' | 'Pass';
  /** The peer: the source of an ingress rule, the destination of an egress rule. */
  source: string;
  protocol?: 'TCP' | 'UDP';
  port?: number;
  http?: { methods?: string[]; paths?: HttpPath[] };
}
interface Policy {
  tier?: string;
  order?: number;
  selector: string;
  /** undefined: Ingress. */
  direction?: 'Ingress' | 'Egress';
  rules: Rule[];
}
interface Conn {
  proto: 'TCP' | 'UDP';
  port: number;
  method: string;
  path: string;
}
interface Tier {
  name: string;
  order?: number;
  defaultAction?: 'Deny' | 'Pass';
}

const selector = fc.constantFrom(...Object.keys(SELECTORS));
const httpPath: fc.Arbitrary<HttpPath> = fc.oneof(fc.constantFrom('/healthz', '/v1').map((exact) => ({ exact })), fc.constantFrom('/v1', '/healthz/', '/').map((prefix) => ({ prefix })));
const http = fc.record({ methods: fc.subarray(['GET', 'POST', 'DELETE'], { minLength: 1 }), paths: fc.array(httpPath, { minLength: 1, maxLength: 2 }) }, { requiredKeys: [] });
const rule: fc.Arbitrary<Rule> = fc
  .record({ action: fc.constantFrom('Allow', 'Deny', 'Pass'), source: selector, protocol: fc.constantFrom('TCP', 'UDP', undefined), port: fc.option(fc.constantFrom(...PORTS), { nil: undefined }), http: fc.option(http, { nil: undefined, freq: 2 }) }, { requiredKeys: ['action', 'source'] })
  // Ports need a protocol that has them (here TCP); an http match is written only beside TCP or no protocol.
  .map((r) => ({ ...r, ...(r.port !== undefined || (r.http && r.protocol === 'UDP') ? { protocol: 'TCP' as const } : {}) }));
const policy: fc.Arbitrary<Policy> = fc.record({ tier: fc.option(fc.constantFrom('default', 'security', 'platform'), { nil: undefined }), order: fc.option(fc.constantFrom(1, 5, 1000, 2_000_000), { nil: undefined }), selector, direction: fc.constantFrom('Ingress', 'Egress', undefined), rules: fc.array(rule, { maxLength: 3 }) }, { requiredKeys: ['selector', 'rules'] });
const conn: fc.Arbitrary<Conn> = fc.record({ proto: fc.constantFrom('TCP', 'TCP', 'UDP'), port: fc.constantFrom(...PORTS), method: fc.constantFrom(...METHOD_PROBES), path: fc.constantFrom(...PATH_PROBES) });
const tier = (name: string): fc.Arbitrary<Tier> => fc.record({ name: fc.constant(name), order: fc.option(fc.constantFrom(10, 1_000_000, 5_000_000), { nil: undefined }), defaultAction: fc.option(fc.constantFrom('Deny' as const, 'Pass' as const), { nil: undefined }) }, { requiredKeys: ['name'] });

function yamlOf(tiers: Tier[], policies: Policy[]): string {
  const docs: unknown[] = PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: { app: p.app } }, spec: { containers: [{ name: 'c', image: 'x' }] } }));
  for (const t of tiers) docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: t.name }, spec: { ...(t.order !== undefined ? { order: t.order } : {}), ...(t.defaultAction ? { defaultAction: t.defaultAction } : {}) } });
  policies.forEach((p, i) => {
    const egress = p.direction === 'Egress';
    const rules = p.rules.map((r) => ({
      action: r.action,
      ...(r.protocol ? { protocol: r.protocol } : {}),
      [egress ? 'destination' : 'source']: { selector: r.source },
      ...(r.port ? (egress ? { destination: { selector: r.source, ports: [r.port] } } : { destination: { ports: [r.port] } }) : {}),
      ...(r.http ? { http: r.http } : {}),
    }));
    docs.push({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: `${p.tier ?? 'default'}.p${i}` },
      spec: { ...(p.tier ? { tier: p.tier } : {}), ...(p.order !== undefined ? { order: p.order } : {}), selector: p.selector, types: [egress ? 'Egress' : 'Ingress'], [egress ? 'egress' : 'ingress']: rules },
    });
  });
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

/** libcalico-go HTTPMatch: a listed method, and a path equal to an exact entry or starting with a prefix entry. */
function naiveHttp(http: NonNullable<Rule['http']>, c: Conn): boolean {
  const method = !http.methods || http.methods.includes(c.method);
  const path = !http.paths || http.paths.some((p) => ('exact' in p ? c.path === p.exact : c.path.startsWith(p.prefix)));
  return c.proto === 'TCP' && method && path;
}

function ruleMatches(r: Rule, direction: 'Ingress' | 'Egress', peer: Pod, c: Conn): boolean {
  if (!SELECTORS[r.source]!(peer) || (r.protocol !== undefined && r.protocol !== c.proto) || (r.port !== undefined && r.port !== c.port)) return false;
  // Calico applies http to ingress rules only; on egress the rule is read without it.
  return direction === 'Egress' || !r.http || naiveHttp(r.http, c);
}

/** The verdict of one end's policies of one direction: `subject` is the destination (Ingress) or the source (Egress). */
function naive(tiers: Tier[], policies: Policy[], src: Pod, dst: Pod, c: Conn | number, direction: 'Ingress' | 'Egress' = 'Ingress'): boolean {
  const conn: Conn = typeof c === 'number' ? { proto: 'TCP', port: c, method: 'GET', path: '/' } : c;
  const [subject, peer] = direction === 'Ingress' ? [dst, src] : [src, dst];
  const tierOf = (name: string): Tier => tiers.find((t) => t.name === name) ?? (name === 'default' ? { name, order: 1_000_000 } : { name });
  const applying = policies.map((p, index) => ({ ...p, index, t: tierOf(p.tier ?? 'default') })).filter((p) => (p.direction ?? 'Ingress') === direction && SELECTORS[p.selector]!(subject));
  const tierList = [...new Map(applying.map((p) => [p.t.name, p.t])).values()].sort((x, y) => (x.order ?? Infinity) - (y.order ?? Infinity) || (x.name < y.name ? -1 : 1));
  for (const t of tierList) {
    const inTier = applying.filter((p) => p.t.name === t.name).sort((x, y) => (x.order ?? Infinity) - (y.order ?? Infinity) || x.index - y.index);
    let action: Rule['action'] | undefined;
    for (const p of inTier) {
      action = p.rules.find((r) => ruleMatches(r, direction, peer, conn))?.action;
      if (action) break;
    }
    if (action === 'Allow') return true;
    if (action === 'Deny') return false;
    if (action === undefined && t.defaultAction !== 'Pass') return false;
  }
  return true;
}

describe('Calico tiers', () => {
  it('each connection (TCP or UDP, port, HTTP method and path) is allowed at each end exactly when the naive tiered reading allows it', () => {
    fc.assert(
      fc.property(fc.subarray(['security', 'platform']).chain((names) => fc.tuple(fc.tuple(...names.map(tier)), fc.array(policy, { maxLength: 5 }), fc.array(conn, { minLength: 1, maxLength: 6 }))), ([tiers, policies, conns]) => {
        const tierList = tiers as Tier[];
        // A policy may only name a tier the input defines (or default).
        const usable = policies.map((p) => (p.tier && p.tier !== 'default' && !tierList.some((t) => t.name === p.tier) ? { ...p, tier: undefined } : p));
        const model = buildMeshModel(loadText('in.yaml', yamlOf(tierList, usable)).resources);
        expect(model.errors).toEqual([]);
        // Each ingress rule with http is said to need application layer policy; each egress one, to be left out.
        const httpRules = (direction: 'Ingress' | 'Egress'): number => usable.filter((p) => (p.direction ?? 'Ingress') === direction).reduce((n, p) => n + p.rules.filter((r) => r.http).length, 0);
        expect(model.warnings.filter((w) => w.code === 'CALICO_HTTP_NEEDS_ALP').length).toBe(httpRules('Ingress'));
        expect(model.warnings.filter((w) => w.code === 'CALICO_OUT_OF_SCOPE' && w.message.includes('HTTP match')).length).toBe(httpRules('Egress'));
        for (const dst of model.topology.endpoints) {
          for (const src of model.topology.endpoints) {
            if (src === dst) continue;
            const ingress = model.calico.verdict(dst, 'ingress', src).allowed;
            const egress = model.calico.verdict(src, 'egress', dst).allowed;
            const s = PODS.find((p) => `${p.ns}/${p.name}` === src.name)!;
            const d = PODS.find((p) => `${p.ns}/${p.name}` === dst.name)!;
            for (const c of conns) {
              // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
              const point = [c.proto === 'TCP' ? 6 : 17, 1000, c.port, 0, 0, METHODS.indexOf(c.method as (typeof METHODS)[number]), model.paths.classOf(c.path)!, 0, 0];
              const got = { ingress: ingress.contains(point), egress: egress.contains(point) };
              const want = { ingress: naive(tierList, usable, s, d, c, 'Ingress'), egress: naive(tierList, usable, s, d, c, 'Egress') };
              if (got.ingress !== want.ingress || got.egress !== want.egress) expect({ src: src.name, dst: dst.name, c, got }).toEqual({ src: src.name, dst: dst.name, c, got: want });
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a tier missing from the input is read as unordered, ending in Deny, with a warning at the policy', () => {
    const model = buildMeshModel(loadText('in.yaml', yamlOf([], [{ tier: 'ghost', selector: 'all()', rules: [{ action: 'Pass', source: 'all()', protocol: 'TCP' }] }, { selector: "app == 'web'", rules: [] }])).resources);
    expect(model.warnings.map((w) => `${w.code} ${w.location?.line}`)).toEqual(['CALICO_TIER_ASSUMED 7']);
    const [p1, p2, p3] = model.topology.endpoints;
    // The default tier (order 1,000,000) comes first and denies web; the ghost tier then passes the rest to the profile.
    expect(model.calico.verdict(p1!, 'ingress', p3!).allowed.isEmpty()).toBe(true);
    const db = model.calico.verdict(p2!, 'ingress', p3!).allowed;
    // The Pass rule is TCP's; the rest ends the ghost tier in Deny.
    expect([db.contains([6, 1000, 80, 0, 0, 0, 0, 0, 0]), db.contains([17, 1000, 80, 0, 0, 0, 0, 0, 0])]).toEqual([true, false]);
  });
});

/*
 * serviceAccountSelector (the policy applies to pods whose ServiceAccount's labels match) and a rule's
 * serviceAccounts {names, selector} (both when both are given), against a naive reading of
 * docs.tigera.io ("NetworkPolicy", ServiceAccountMatch). A ServiceAccount's labels carry
 * projectcalico.org/name.
 */
interface SaPod extends Pod {
  sa: string;
}
const SA_PODS: SaPod[] = [
  { ns: 'a', name: 'p1', app: 'web', sa: 'front' },
  { ns: 'a', name: 'p2', app: 'db', sa: 'back' },
  { ns: 'b', name: 'p3', app: 'cli', sa: 'front' },
];
const SA_LABELS: Record<string, Record<string, string>> = { 'a/front': { team: 'x' }, 'a/back': { team: 'y' } };
const SA_SELECTORS: Record<string, (l: Record<string, string>) => boolean> = {
  "team == 'x'": (l) => l.team === 'x',
  "projectcalico.org/name == 'back'": (l) => l['projectcalico.org/name'] === 'back',
  'has(team)': (l) => 'team' in l,
  '!has(team)': (l) => !('team' in l),
};
const saLabels = (p: SaPod): Record<string, string> => ({ ...(SA_LABELS[`${p.ns}/${p.sa}`] ?? {}), 'projectcalico.org/name': p.sa });

interface SaRule {
  action: 'Allow' | 'Deny';
  names?: string[];
  selector?: string;
}
interface SaPolicy {
  namespace?: string;
  saSelector?: string;
  rules: SaRule[];
}
const saSel = fc.constantFrom(...Object.keys(SA_SELECTORS));
const saRule: fc.Arbitrary<SaRule> = fc.record({ action: fc.constantFrom('Allow' as const, 'Deny' as const), names: fc.option(fc.subarray(['front', 'back', 'other'], { minLength: 1 }), { nil: undefined }), selector: fc.option(saSel, { nil: undefined }) }, { requiredKeys: ['action'] });
const saPolicy: fc.Arbitrary<SaPolicy> = fc.record({ namespace: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }), saSelector: fc.option(saSel, { nil: undefined }), rules: fc.array(saRule, { maxLength: 3 }) }, { requiredKeys: ['rules'] });

function saYaml(policies: SaPolicy[]): string {
  const docs: unknown[] = SA_PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: { app: p.app } }, spec: { serviceAccountName: p.sa, containers: [{ name: 'c', image: 'x' }] } }));
  for (const [key, labels] of Object.entries(SA_LABELS)) docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { namespace: key.split('/')[0], name: key.split('/')[1], labels } });
  policies.forEach((p, i) =>
    docs.push({
      apiVersion: 'projectcalico.org/v3',
      kind: p.namespace ? 'NetworkPolicy' : 'GlobalNetworkPolicy',
      metadata: { name: `p${i}`, ...(p.namespace ? { namespace: p.namespace } : {}) },
      spec: {
        order: i,
        selector: 'all()',
        ...(p.saSelector ? { serviceAccountSelector: p.saSelector } : {}),
        types: ['Ingress'],
        ingress: p.rules.map((r) => ({ action: r.action, source: r.names || r.selector ? { serviceAccounts: { ...(r.names ? { names: r.names } : {}), ...(r.selector ? { selector: r.selector } : {}) } } : {} })),
      },
    }),
  );
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

function naiveSa(policies: SaPolicy[], src: SaPod, dst: SaPod): boolean {
  const applying = policies.filter((p) => (p.namespace === undefined || p.namespace === dst.ns) && (!p.saSelector || SA_SELECTORS[p.saSelector]!(saLabels(dst))));
  if (applying.length === 0) return true;
  for (const p of applying) {
    for (const r of p.rules) {
      const sameScope = p.namespace === undefined || src.ns === p.namespace;
      const matches = !(r.names || r.selector) || (sameScope && (!r.names || r.names.includes(src.sa)) && (!r.selector || SA_SELECTORS[r.selector]!(saLabels(src))));
      if (matches) return r.action === 'Allow';
    }
  }
  return false;
}

describe('Calico service accounts', () => {
  it('serviceAccountSelector and rule serviceAccounts agree with the naive reading, per pod pair', () => {
    fc.assert(
      fc.property(fc.array(saPolicy, { maxLength: 4 }), (policies) => {
        const model = buildMeshModel(loadText('in.yaml', saYaml(policies)).resources);
        expect(model.errors).toEqual([]);
        for (const dst of model.topology.endpoints) {
          for (const src of model.topology.endpoints) {
            if (src === dst) continue;
            const got = !model.calico.verdict(dst, 'ingress', src).allowed.isEmpty();
            const want = naiveSa(policies, SA_PODS.find((p) => `${p.ns}/${p.name}` === src.name)!, SA_PODS.find((p) => `${p.ns}/${p.name}` === dst.name)!);
            if (got !== want) expect({ src: src.name, dst: dst.name, got }).toEqual({ src: src.name, dst: dst.name, got: want });
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
