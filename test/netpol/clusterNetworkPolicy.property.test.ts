import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { expectOracleAgrees } from './adminOracle.js';
import { adminPeer, adminPort, cidr, containerPorts, labels, manifests, NAMESPACES, networkPolicy, type Json, type Labels, type PodSpec } from './adminScenario.js';

/**
 * ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) in the NetworkPolicy engine against the
 * naive oracle (adminOracle.ts): random Admin and Baseline tiers of several policies each, every
 * action (Accept, Deny, Pass) in both, with NetworkPolicies between them. The scenario is drawn in
 * the ANP shape the oracle reads and written out in the v1alpha2 shape (Accept, `protocols`).
 */

const rule = (peerKey: 'from' | 'to') =>
  fc
    .record({
      action: fc.constantFrom('Allow', 'Deny', 'Pass'),
      [peerKey]: fc.array(peerKey === 'to' ? fc.oneof(adminPeer, cidr.map((c) => ({ networks: [c] }))) : adminPeer, { minLength: 1, maxLength: 2 }),
      ports: fc.option(fc.array(adminPort, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    })
    // v1alpha2 refuses a named port next to a networks peer: leave the named ports out there.
    .map((r) => {
      const ports = (r.ports as Json[] | undefined)?.filter((p) => !(p.namedPort && (r[peerKey] as Json[]).some((peer) => peer.networks)));
      return { ...r, ports: ports && ports.length > 0 ? ports : undefined } as Json;
    });
const policy = fc.record({ subject: adminPeer, ingress: fc.array(rule('from'), { maxLength: 2 }), egress: fc.array(rule('to'), { maxLength: 2 }) });
/** A tier: its policies with distinct priorities, listed in priority order. */
const tier = fc.array(fc.tuple(policy, fc.integer({ min: 0, max: 1000 })), { maxLength: 3 }).map((ps) => {
  const seen = new Set<number>();
  return ps.filter(([, p]) => !seen.has(p) && seen.add(p) !== undefined).sort((a, b) => a[1] - b[1]);
});
const scenario = fc.record({
  pods: fc.array(fc.tuple(fc.constantFrom(...NAMESPACES), labels, containerPorts), { minLength: 2, maxLength: 5 }),
  netpols: fc.array(networkPolicy, { maxLength: 2 }),
  admin: tier,
  baseline: tier,
});

function protocols(ports: Json[]): Json[] {
  return ports.map((p) => {
    if (p.namedPort) return { destinationNamedPort: p.namedPort };
    const n = (p.portNumber ?? p.portRange) as Json;
    const destinationPort = p.portNumber ? { number: n.port } : { range: { start: n.start, end: n.end } };
    return { [String(n.protocol).toLowerCase()]: { destinationPort } };
  });
}

function cnp(name: string, tierName: 'Admin' | 'Baseline', priority: number, p: Json): Json {
  const rules = (list: Json[], peerKey: 'from' | 'to') =>
    list.map((r, i) => ({ name: `r${i}`, action: r.action === 'Allow' ? 'Accept' : r.action, [peerKey]: r[peerKey], ...(r.ports ? { protocols: protocols(r.ports as Json[]) } : {}) }));
  return { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name }, spec: { tier: tierName, priority, subject: p.subject, ingress: rules(p.ingress as Json[], 'from'), egress: rules(p.egress as Json[], 'to') } };
}

describe('ClusterNetworkPolicy against the naive oracle', () => {
  it('agrees on every (source, destination, protocol, port) of random clusters with Admin and Baseline tiers', () => {
    fc.assert(
      fc.property(scenario, (raw) => {
        const pods: PodSpec[] = raw.pods.map(([namespace, l, ports], i) => ({ namespace, name: `p${i}`, labels: l as Labels, ports }));
        const netpols = raw.netpols as unknown as Json[];
        const docs = [
          ...raw.admin.map(([p, priority], i) => cnp(`admin${i}`, 'Admin', priority, p as Json)),
          ...raw.baseline.map(([p, priority], i) => cnp(`baseline${i}`, 'Baseline', priority, p as Json)),
        ];
        // Written in reverse: the engine must order each tier by priority, not by input order.
        const text = `${manifests(pods, { netpols, anps: [] })}\n---\n${docs.reverse().map((d) => JSON.stringify(d)).join('\n---\n')}`;
        const model = buildModel(loadText('gen.yaml', text).resources, 'cluster');
        expect(model.errors.map((e) => e.message)).toEqual([]);
        expectOracleAgrees(model, pods, { netpols, admin: raw.admin.map(([p]) => p as Json), baseline: raw.baseline.map(([p]) => p as Json) });
      }),
      { numRuns: 150 },
    );
  });
});
