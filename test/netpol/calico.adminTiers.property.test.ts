import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix, meshMatrixPairwise } from '../../src/netpol/layers/matrix.js';

/**
 * AdminNetworkPolicy, BaselineAdminNetworkPolicy, Kubernetes NetworkPolicy and Calico policies in
 * tiers, against a naive per-connection reading of Calico's tier docs (tigera/docs
 * calico/network-policy/policy-tiers/tiered-policy.mdx, the v3.30/v3.31 text, and "Tier", "How policy
 * is evaluated"): tiers by order, smallest first; a tier with no policy that applies to the end is
 * skipped; within a tier, policies by order and the first matching rule decides; Allow and Deny end
 * it, Pass goes to the next tier; a tier that applies but takes no action denies, unless its
 * defaultAction is Pass; after the last tier, the profile allows. ANPs are policies of order
 * `priority` in the `adminnetworkpolicy` tier (order 1,000, Pass), the BANP a policy of order 1,000 in
 * `baselineadminnetworkpolicy` (order 10,000,000, Pass), Kubernetes NetworkPolicies allow-only policies
 * of order 1,000 in `default` (order 1,000,000, Deny). A user tier may sit before, between or after them.
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
const APPS = ['web', 'db', 'cli'];
const PORTS = [80, 443];
type Direction = 'Ingress' | 'Egress';
type Action = 'Allow' | 'Deny' | 'Pass';
interface Conn {
  proto: 'TCP' | 'UDP';
  port: number;
}
/** A rule as the oracle reads it: which peers, which connections. */
interface Rule {
  action: Action;
  /** undefined: every pod. */
  app?: string;
  /** ANP peers only: the peer's namespace (undefined: every namespace). */
  ns?: string;
  proto?: 'TCP' | 'UDP';
  port?: number;
}
interface CalicoPolicy {
  tier: string;
  order: number;
  app?: string;
  direction: Direction;
  rules: Rule[];
}
interface K8sPolicy {
  ns: string;
  app?: string;
  direction: Direction;
  rules: Omit<Rule, 'action' | 'ns'>[];
}
interface AdminPolicy {
  priority: number;
  /** Subject: pods of this app (every pod when undefined). */
  app?: string;
  direction: Direction;
  rules: Rule[];
}
interface Tier {
  order: number;
  defaultAction?: 'Deny' | 'Pass';
}

const app = fc.option(fc.constantFrom(...APPS), { nil: undefined });
const direction = fc.constantFrom<Direction>('Ingress', 'Egress');
const conns = fc.record({ proto: fc.option(fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'), { nil: undefined }), port: fc.option(fc.constantFrom(...PORTS), { nil: undefined }) }).map((c) => (c.port !== undefined ? { proto: c.proto ?? 'TCP', port: c.port } : c.proto ? { proto: c.proto } : {}));
const rule = (actions: readonly Action[]): fc.Arbitrary<Rule> => fc.tuple(fc.constantFrom(...actions), app, fc.option(fc.constantFrom('a', 'b'), { nil: undefined }), conns).map(([action, a, ns, c]) => ({ action, ...(a ? { app: a } : {}), ...(ns ? { ns } : {}), ...c }));
// Orders never tie across kinds in a tier (Calico breaks such ties by name, which the input does not fix).
const calicoPolicy: fc.Arbitrary<CalicoPolicy> = fc.record({ tier: fc.constantFrom('default', 'security', 'adminnetworkpolicy', 'baselineadminnetworkpolicy'), order: fc.constantFrom(1, 5, 500, 2000), app, direction, rules: fc.array(rule(['Allow', 'Deny', 'Pass']).map(({ ns: _ns, ...r }) => r), { maxLength: 2 }) }, { requiredKeys: ['tier', 'order', 'direction', 'rules'] });
const k8sPolicy: fc.Arbitrary<K8sPolicy> = fc.record({ ns: fc.constantFrom('a', 'b'), app, direction, rules: fc.array(fc.tuple(app, conns).map(([a, c]) => ({ ...(a ? { app: a } : {}), ...c })), { maxLength: 2 }) }, { requiredKeys: ['ns', 'direction', 'rules'] });
const adminPolicy = (actions: readonly Action[]): fc.Arbitrary<Omit<AdminPolicy, 'priority'>> => fc.record({ app, direction, rules: fc.array(rule(actions), { minLength: 1, maxLength: 2 }) }, { requiredKeys: ['direction', 'rules'] });
const anps: fc.Arbitrary<AdminPolicy[]> = fc.uniqueArray(fc.constantFrom(3, 7, 999), { maxLength: 2 }).chain((ps) => fc.tuple(...ps.map((priority) => adminPolicy(['Allow', 'Deny', 'Pass']).map((p) => ({ ...p, priority })))));
const securityTier: fc.Arbitrary<Tier | undefined> = fc.option(fc.record({ order: fc.constantFrom(10, 5000, 20_000_000), defaultAction: fc.option(fc.constantFrom<'Deny' | 'Pass'>('Deny', 'Pass'), { nil: undefined }) }, { requiredKeys: ['order'] }), { nil: undefined });
const conn: fc.Arbitrary<Conn> = fc.record({ proto: fc.constantFrom<'TCP' | 'UDP'>('TCP', 'UDP'), port: fc.constantFrom(...PORTS) });

interface Scenario {
  security?: Tier;
  calico: CalicoPolicy[];
  k8s: K8sPolicy[];
  anps: AdminPolicy[];
  banp?: Omit<AdminPolicy, 'priority'>;
}

function calicoPorts(r: Omit<Rule, 'action' | 'ns'>): Record<string, unknown> {
  return r.proto ? { protocol: r.proto } : {};
}

function yamlOf(s: Scenario): string {
  const docs: unknown[] = ['a', 'b'].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  docs.push(...PODS.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.ns, labels: { app: p.app } }, spec: { containers: [{ name: 'c', image: 'x' }] } })));
  if (s.security) docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: s.security.order, ...(s.security.defaultAction ? { defaultAction: s.security.defaultAction } : {}) } });
  s.calico.forEach((p, i) => {
    const egress = p.direction === 'Egress';
    const rules = p.rules.map((r) => {
      const peer = { selector: r.app ? `app == '${r.app}'` : 'all()' };
      return { action: r.action, ...calicoPorts(r), [egress ? 'destination' : 'source']: peer, ...(r.port ? { destination: { ...(egress ? peer : {}), ports: [r.port] } } : {}) };
    });
    docs.push({ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: `${p.tier}.p${i}` }, spec: { tier: p.tier, order: p.order, selector: p.app ? `app == '${p.app}'` : 'all()', types: [p.direction], [egress ? 'egress' : 'ingress']: rules } });
  });
  s.k8s.forEach((p, i) => {
    const key = p.direction === 'Ingress' ? 'ingress' : 'egress';
    const rules = p.rules.map((r) => ({ [p.direction === 'Ingress' ? 'from' : 'to']: [{ podSelector: r.app ? { matchLabels: { app: r.app } } : {} }], ...(r.proto || r.port ? { ports: [{ protocol: r.proto ?? 'TCP', ...(r.port ? { port: r.port } : {}) }] } : {}) }));
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: p.ns }, spec: { podSelector: p.app ? { matchLabels: { app: p.app } } : {}, policyTypes: [p.direction], [key]: rules } });
  });
  const admin = (p: Omit<AdminPolicy, 'priority'>): Record<string, unknown> => {
    const key = p.direction === 'Ingress' ? 'ingress' : 'egress';
    const rules = p.rules.map((r, j) => ({
      name: `r${j}`,
      action: r.action,
      [p.direction === 'Ingress' ? 'from' : 'to']: [{ pods: { namespaceSelector: r.ns ? { matchLabels: { 'kubernetes.io/metadata.name': r.ns } } : {}, podSelector: r.app ? { matchLabels: { app: r.app } } : {} } }],
      // ANP ports: portNumber (with a protocol) or, for "every port of a protocol", the full range.
      ...(r.port ? { ports: [{ portNumber: { protocol: r.proto ?? 'TCP', port: r.port } }] } : r.proto ? { ports: [{ portRange: { protocol: r.proto, start: 1, end: 65535 } }] } : {}),
    }));
    return { subject: { pods: { namespaceSelector: {}, podSelector: p.app ? { matchLabels: { app: p.app } } : {} } }, [key]: rules };
  };
  s.anps.forEach((p, i) => docs.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp${i}` }, spec: { priority: p.priority, ...admin(p) } }));
  if (s.banp) docs.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: admin(s.banp) });
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

// ---- the oracle: every policy as (tier, order, applies-to, rules), evaluated one connection at a time ----

interface NaivePolicy {
  tier: string;
  order: number;
  index: number;
  direction: Direction;
  applies: (p: Pod) => boolean;
  rules: { action: Action; matches: (peer: Pod, c: Conn) => boolean }[];
}

const connMatches = (r: { proto?: string; port?: number }, c: Conn): boolean => (r.proto === undefined || r.proto === c.proto) && (r.port === undefined || r.port === c.port);

function naivePolicies(s: Scenario): NaivePolicy[] {
  const byApp = (a: string | undefined) => (p: Pod): boolean => a === undefined || p.app === a;
  const out: NaivePolicy[] = [];
  s.calico.forEach((p, index) => out.push({ tier: p.tier, order: p.order, index, direction: p.direction, applies: byApp(p.app), rules: p.rules.map((r) => ({ action: r.action, matches: (peer, c) => byApp(r.app)(peer) && (r.ns === undefined || peer.ns === r.ns) && connMatches(r, c) })) }));
  s.k8s.forEach((p, index) => out.push({ tier: 'default', order: 1000, index: 100 + index, direction: p.direction, applies: (pod) => pod.ns === p.ns && byApp(p.app)(pod), rules: p.rules.map((r) => ({ action: 'Allow', matches: (peer, c) => peer.ns === p.ns && byApp(r.app)(peer) && connMatches(r, c) })) }));
  const admin = (p: Omit<AdminPolicy, 'priority'>, tier: string, order: number, index: number): NaivePolicy => ({ tier, order, index, direction: p.direction, applies: byApp(p.app), rules: p.rules.map((r) => ({ action: r.action, matches: (peer, c) => byApp(r.app)(peer) && (r.ns === undefined || peer.ns === r.ns) && connMatches(r, c) })) });
  s.anps.forEach((p, i) => out.push(admin(p, 'adminnetworkpolicy', p.priority, 200 + i)));
  if (s.banp) out.push(admin(s.banp, 'baselineadminnetworkpolicy', 1000, 300));
  return out;
}

function naive(s: Scenario, src: Pod, dst: Pod, c: Conn, direction: Direction): boolean {
  const [subject, peer] = direction === 'Ingress' ? [dst, src] : [src, dst];
  const tiers: Record<string, Tier> = { default: { order: 1_000_000 }, adminnetworkpolicy: { order: 1000, defaultAction: 'Pass' }, baselineadminnetworkpolicy: { order: 10_000_000, defaultAction: 'Pass' }, ...(s.security ? { security: s.security } : {}) };
  // A policy naming a tier the input does not define is left out of the scenario (see below).
  const applying = naivePolicies(s).filter((p) => p.direction === direction && p.applies(subject));
  const tierNames = [...new Set(applying.map((p) => p.tier))].sort((x, y) => tiers[x]!.order - tiers[y]!.order);
  for (const t of tierNames) {
    let action: Action | undefined;
    for (const p of applying.filter((q) => q.tier === t).sort((x, y) => x.order - y.order || x.index - y.index)) {
      action = p.rules.find((r) => r.matches(peer, c))?.action;
      if (action) break;
    }
    if (action === 'Allow') return true;
    if (action === 'Deny') return false;
    if (action === undefined && tiers[t]!.defaultAction !== 'Pass') return false;
  }
  return true;
}

const scenario: fc.Arbitrary<Scenario> = fc
  .record({ security: securityTier, calico: fc.array(calicoPolicy, { maxLength: 3 }), k8s: fc.array(k8sPolicy, { maxLength: 2 }), anps, banp: fc.option(adminPolicy(['Allow', 'Deny']), { nil: undefined }) })
  .map((s) => ({ ...s, calico: s.calico.filter((p) => p.tier !== 'security' || s.security !== undefined) }))
  .map(({ security, banp, ...rest }) => ({ ...rest, ...(security ? { security } : {}), ...(banp ? { banp } : {}) }));

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy in Calico tiers', () => {
  it('each end allows a connection exactly when the naive tiered reading does', () => {
    fc.assert(
      fc.property(scenario, fc.array(conn, { minLength: 1, maxLength: 4 }), (s, probes) => {
        const model = buildMeshModel(loadText('in.yaml', yamlOf(s)).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        // Each ANP and BANP is said to be read as Calico v3.29-v3.31 runs it, when the input holds Calico objects.
        const calicoObjects = s.calico.length > 0 || s.security !== undefined;
        expect(model.warnings.filter((w) => w.code === 'MESH_ADMIN_TIERS_ASSUMED').length).toBe(calicoObjects ? s.anps.length + (s.banp ? 1 : 0) : 0);
        for (const dstEp of model.topology.endpoints) {
          for (const srcEp of model.topology.endpoints) {
            if (srcEp === dstEp) continue;
            const ingress = model.calico.verdict(dstEp, 'ingress', srcEp).allowed;
            const egress = model.calico.verdict(srcEp, 'egress', dstEp).allowed;
            const src = PODS.find((p) => `${p.ns}/${p.name}` === srcEp.name)!;
            const dst = PODS.find((p) => `${p.ns}/${p.name}` === dstEp.name)!;
            for (const c of probes) {
              const point = [c.proto === 'TCP' ? 6 : 17, 1000, c.port, 0, 0, 0, 0, 0, 0];
              const got = { ingress: ingress.contains(point), egress: egress.contains(point) };
              const want = { ingress: naive(s, src, dst, c, 'Ingress'), egress: naive(s, src, dst, c, 'Egress') };
              if (got.ingress !== want.ingress || got.egress !== want.egress) expect({ src: src.name, dst: dst.name, c, got }).toEqual({ src: src.name, dst: dst.name, c, got: want });
            }
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the matrix (which skips peers no Allow or Pass rule names, unless every tier of the end passes by default) equals asking every pair', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const model = buildMeshModel(loadText('in.yaml', yamlOf(s)).resources);
        expect(meshMatrix(model, 'pod')).toEqual(meshMatrixPairwise(model, 'pod'));
      }),
      { numRuns: 200 },
    );
  });
});
