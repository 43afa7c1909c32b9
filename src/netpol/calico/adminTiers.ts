import { ConnSet, ivNormalize, type Domain, type Intervals } from '../layers/connSet.js';
import { effectiveLabels, PROTOCOL_NUMBERS, topologyIndex, type Endpoint, type Topology } from '../layers/endpoints.js';
import type { Location } from '../../core/types.js';
import type { CalicoTier, LayerOrigin, LayerPolicy, LayerRule, PeerMatch } from '../layers/model.js';
import { NAMESPACE_NAME_LABEL, type AdminPeer, type AdminPolicy, type AdminRule, type RelativeNamespaces, type RulePort } from '../model.js';
import type { IpSet } from '../sets/ipSet.js';

/**
 * AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) as the
 * policies of two Calico tiers, as Calico v3.29-v3.31 runs them. Sources:
 * - tigera/docs `calico/network-policy/policy-tiers/tiered-policy.mdx` (commit 1c5bfbc, the Calico
 *   v3.30/v3.31 text, "The admin network policy tier" and "The baseline admin network policy tier"):
 *   the `adminnetworkpolicy` tier has order 1,000 and defaultAction Pass, and an ANP's `priority` is
 *   its `order` there; the `baselineadminnetworkpolicy` tier has order 10,000,000 and defaultAction
 *   Pass, and the BANP is treated as a policy of order 1,000 in it. Calico policies may join either tier.
 * - projectcalico/calico#9206 (ANP, released in v3.29.0, release notes of 28 Oct 2024) and #9464
 *   (BANP, merged after v3.29.0: "Map the single BANP to a policy (with order=1000) in a new dedicated
 *   Tier with order=10,000,000"); ANP Pass is Calico's Pass (to the next tier).
 * - projectcalico/calico#10745 (maintainer, 2026-01-06) and #11144: ANP and BANP are removed in
 *   v3.32 in favour of ClusterNetworkPolicy (tiers `kube-admin`, order 1,000, and `kube-baseline`;
 *   tigera/docs#2416), which palisade does not read yet.
 * With the `default` tier (order 1,000,000, defaultAction Deny, holding Kubernetes NetworkPolicies at
 * order 1000) between them, this is the API's own order — ANP tier, NetworkPolicy, BANP, allow — which
 * the NetworkPolicy engine (eval/engine.ts) implements; the parsing and peer semantics are its
 * (parse/adminPolicy.ts, eval/match.ts).
 */
export const ADMIN_TIER: CalicoTier = { name: 'adminnetworkpolicy', order: 1000, defaultAction: 'Pass' };
export const BASELINE_TIER: CalicoTier = { name: 'baselineadminnetworkpolicy', order: 10_000_000, defaultAction: 'Pass' };
/** The BANP's order inside its tier (calico#9464). */
export const BASELINE_ORDER = 1000;
/**
 * ClusterNetworkPolicy (v1alpha2) from Calico v3.32: tier Admin in `kube-admin` (order 1,000,
 * defaultAction Pass), tier Baseline in `kube-baseline` (order 10,000,000, Pass), the priority as
 * the order within the tier (tigera/docs#2416, merged 2025-12, `tiered-policy.mdx` "kube-admin tier").
 */
export const KUBE_ADMIN_TIER: CalicoTier = { name: 'kube-admin', order: 1000, defaultAction: 'Pass' };
export const KUBE_BASELINE_TIER: CalicoTier = { name: 'kube-baseline', order: 10_000_000, defaultAction: 'Pass' };

/** The Admin tier (ANPs, ClusterNetworkPolicies of tier Admin) and the Baseline tier (the BANP, those of tier Baseline) as Calico tier policies. */
export function adminTierPolicies(admin: readonly AdminPolicy[], baseline: readonly AdminPolicy[], topology: Topology, domain: Domain): LayerPolicy[] {
  return [...admin, ...baseline].map((p) => {
    if (p.kind === 'ClusterNetworkPolicy') return toLayerPolicy(p, p.tier === 'Admin' ? KUBE_ADMIN_TIER : KUBE_BASELINE_TIER, p.priority, topology, domain);
    return p.kind === 'AdminNetworkPolicy' ? toLayerPolicy(p, ADMIN_TIER, p.priority, topology, domain) : toLayerPolicy(p, BASELINE_TIER, BASELINE_ORDER, topology, domain);
  });
}

function namespaceLabels(topology: Topology, namespace: string): Record<string, string> {
  return topology.namespaces.get(namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: namespace };
}

/** v0.1.0-v0.1.1 sameLabels / notSameLabels, as eval/match.ts reads them. */
function relativeMatches(relative: RelativeNamespaces, peer: Record<string, string>, subject: Record<string, string>): boolean {
  const keys = 'same' in relative ? relative.same : relative.notSame;
  if (keys.length === 0 || !keys.every((k) => k in peer)) return false;
  return 'same' in relative ? keys.every((k) => peer[k] === subject[k]) : keys.some((k) => peer[k] !== subject[k]);
}

/** The pods a namespaces/pods peer (or subject) matches; `subjectNamespace`: where relative namespaces are judged from. */
function podsOf(peer: Exclude<AdminPeer, { type: 'networks' } | { type: 'nodes' }>, topology: Topology, subjectNamespace?: string): Endpoint[] {
  return topologyIndex(topology).pods.filter((ep) => {
    if (ep.namespace === undefined) return false;
    const labels = namespaceLabels(topology, ep.namespace);
    if (!peer.namespaceSelector.matches(labels)) return false;
    if (peer.relative && !(subjectNamespace !== undefined && relativeMatches(peer.relative, labels, namespaceLabels(topology, subjectNamespace)))) return false;
    return peer.type === 'namespaces' || peer.podSelector.matches(effectiveLabels(ep));
  });
}

/**
 * A rule's ports: numbers and ranges for their protocol; a named port resolves on the destination
 * pod's container ports of that name, in the container port's protocol (ANP's reading, as
 * ruleConnections with protocolFromPod); no ports: every connection.
 */
function portConns(ports: readonly RulePort[] | undefined, domain: Domain): (src: Endpoint | undefined, dst: Endpoint | undefined) => ConnSet {
  if (!ports) return () => ConnSet.all(domain);
  const fixed = ports.filter((p) => 'ports' in p);
  let numbered = ConnSet.empty(domain);
  for (const port of fixed) {
    const iv: Intervals = ivNormalize(port.ports.ranges.map((r): [number, number] => [r.lo, r.hi - 1]));
    if (iv.length > 0) numbered = numbered.union(ConnSet.cube(domain, { proto: [PROTOCOL_NUMBERS[port.protocol]!, PROTOCOL_NUMBERS[port.protocol]!], dport: iv }));
  }
  const names = ports.flatMap((p) => ('named' in p ? [p.named] : []));
  if (names.length === 0) return () => numbered;
  return (_s, t) => {
    let out = numbered;
    for (const cp of t?.ports ?? []) if (names.includes(cp.name)) out = out.union(ConnSet.cube(domain, { proto: [cp.protocol, cp.protocol], dport: [cp.port, cp.port] }));
    return out;
  };
}

/** The rule's name for explain, its location read only when asked (locating parses the file's YAML: a large JSON input pays seconds). */
function lazyOrigin(rule: string, from: { readonly location?: Location }): LayerOrigin {
  return {
    rule,
    get location(): Location | undefined {
      return from.location;
    },
  };
}

function toLayerPolicy(policy: AdminPolicy, tier: CalicoTier, order: number, topology: Topology, domain: Domain): LayerPolicy {
  const selected = new Set(podsOf(policy.subject, topology));
  const namespaces = [...new Set([...selected].map((ep) => ep.namespace!))];
  const convert = (rules: readonly AdminRule[], direction: 'ingress' | 'egress'): LayerRule[] =>
    rules.flatMap((rule, i) => {
      const origin = lazyOrigin(`${policy.kind} ${policy.name} ${direction}[${i}]`, rule.origin);
      const conns = portConns(rule.ports, domain);
      const ips: IpSet[] = rule.peers.flatMap((p) => (p.type === 'networks' ? p.ips : []));
      const selectors = rule.peers.filter((p) => p.type === 'namespaces' || p.type === 'pods');
      const make = (self: ReadonlySet<Endpoint>, peers: PeerMatch): LayerRule => ({ action: rule.action, src: direction === 'ingress' ? peers : { endpoints: self, ips: [] }, dst: direction === 'ingress' ? { endpoints: self, ips: [] } : peers, conns, origin });
      const fixedPods = new Set(selectors.filter((p) => !p.relative).flatMap((p) => podsOf(p, topology)));
      if (!selectors.some((p) => p.relative)) return [make(selected, { endpoints: fixedPods, ips })];
      // Peers relative to the subject's namespace: one rule per namespace of the subject, so every
      // endpoint set the rule decides by is fixed (classes.ts tells endpoints apart by these sets).
      return namespaces.map((ns) => {
        const self = new Set([...selected].filter((ep) => ep.namespace === ns));
        const pods = new Set([...fixedPods, ...selectors.filter((p) => p.relative).flatMap((p) => podsOf(p, topology, ns))]);
        return make(self, { endpoints: pods, ips });
      });
    });
  const ingress = policy.ingress.length > 0 ? convert(policy.ingress, 'ingress') : undefined;
  const egress = policy.egress.length > 0 ? convert(policy.egress, 'egress') : undefined;
  const origin = lazyOrigin(`${policy.kind} ${policy.name}`, policy.origin);
  return { kind: policy.kind, name: policy.name, order, tier, selected, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}), origin };
}
