import { netpolPeerMatches } from '../eval/match.js';
import type { NetpolRule, NetworkPolicy, Peer } from '../model.js';
import { ConnectionSet } from '../sets/connectionSet.js';
import type { NetpolCheck, NetpolIssue } from './types.js';

/**
 * A rule whose peers and ports are all covered by another rule of the same policy and direction
 * adds nothing: usually a leftover, or a narrower rule someone believes restricts the broader one.
 * Peers are compared on the peers of the input; rules with named ports are left alone (they
 * resolve per pod).
 */
export const ruleShadowed: NetpolCheck = {
  meta: {
    id: 'NETPOL_RULE_SHADOWED',
    family: 'netpol',
    severity: 'low',
    title: 'NetworkPolicy rule is shadowed by a broader rule',
    description: 'Every peer and port this rule allows is already allowed by another rule of the same policy; policies only add, so the narrower rule has no effect.',
    remediation: 'delete the narrower rule, or narrow the broader one if it allows more than intended.',
    frameworks: {},
    messages: { shadowed: 'NetworkPolicy {namespace}/{name}: {rule} is covered by {broader}' },
  },
  run: (model) => {
    const peers: Peer[] = [...model.pods, ...model.sourceIps, ...model.destinationIps];
    const issues: NetpolIssue[] = [];
    for (const policy of model.policies.networkPolicies) {
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = (policy[direction] ?? []).filter((r) => !r.ports?.some((p) => 'named' in p));
        if (rules.length < 2) continue; // a rule can only be shadowed by another one
        const covered = rules.map((r) => ({ rule: r, peers: new Set(peers.filter((p) => matches(r, p, policy, model.namespaces))), conns: ports(r) }));
        covered.forEach((narrow, i) => {
          // A rule that matches no peer of the input (its pods live elsewhere) cannot be judged.
          if (narrow.peers.size === 0) return;
          const broader = covered.find((wide, j) => j !== i && (j < i || !same(wide, narrow)) && [...narrow.peers].every((p) => wide.peers.has(p)) && narrow.conns.subtract(wide.conns).isEmpty());
          if (broader) {
            issues.push({
              messageId: 'shadowed',
              data: { namespace: policy.namespace, name: policy.name, rule: narrow.rule.origin.description, broader: broader.rule.origin.description },
              resource: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', namespace: policy.namespace, name: policy.name },
              ...(narrow.rule.origin.location ? { location: narrow.rule.origin.location } : {}),
            });
          }
        });
      }
    }
    return issues;
  },
};

function matches(rule: NetpolRule, peer: Peer, policy: NetworkPolicy, namespaces: Parameters<typeof netpolPeerMatches>[3]['namespaces']): boolean {
  return !rule.peers || rule.peers.some((p) => netpolPeerMatches(p, peer, policy.namespace, { namespaces, ipBlockMatchesPods: false }));
}

function ports(rule: NetpolRule): ConnectionSet {
  if (!rule.ports) return ConnectionSet.all();
  return rule.ports.reduce((acc, p) => ('ports' in p ? acc.union(ConnectionSet.of(p.protocol, p.ports)) : acc), ConnectionSet.empty());
}

function same(a: { peers: Set<Peer>; conns: ConnectionSet }, b: { peers: Set<Peer>; conns: ConnectionSet }): boolean {
  return a.peers.size === b.peers.size && [...a.peers].every((p) => b.peers.has(p)) && a.conns.equals(b.conns);
}
