import type { Direction, NetworkPolicy, Peer, PodPeer } from '../model.js';
import { ConnectionSet } from '../sets/connectionSet.js';
import { netpolPeerMatches, ruleConnections, type MatchContext } from './match.js';

/** Does the policy select `pod` for `direction` (its namespace, its podSelector, its policyTypes)? */
export function selects(policy: NetworkPolicy, pod: PodPeer, direction: Direction): boolean {
  return policy[direction] !== undefined && policy.namespace === pod.namespace && policy.podSelector.matches(pod.labels);
}

/**
 * What the NetworkPolicies that select the isolated end allow with the other end: the union of
 * every matching rule of every selecting policy (policies are additive, there is no deny).
 */
export function netpolAllowed(policies: readonly NetworkPolicy[], direction: Direction, src: Peer, dst: Peer, context: MatchContext): ConnectionSet {
  const other = direction === 'ingress' ? src : dst;
  let allowed = ConnectionSet.empty();
  for (const policy of policies) {
    for (const rule of policy[direction] ?? []) {
      if (rule.peers && !rule.peers.some((peer) => netpolPeerMatches(peer, other, policy.namespace, context))) continue;
      allowed = allowed.union(ruleConnections(rule.ports, dst, rule.origin.id, false));
    }
  }
  return allowed;
}
