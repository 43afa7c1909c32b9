import type { AdminPolicy, Direction, Peer, PodPeer } from '../model.js';
import { ConnectionSet } from '../sets/connectionSet.js';
import { adminPeerMatches, ruleConnections, type MatchContext } from './match.js';

/** The verdicts of one admin tier, each connection decided by the first rule that matches it. */
export interface TierVerdicts {
  allow: ConnectionSet;
  deny: ConnectionSet;
  pass: ConnectionSet;
}

export const NO_VERDICTS: TierVerdicts = { allow: ConnectionSet.empty(), deny: ConnectionSet.empty(), pass: ConnectionSet.empty() };

/** Does a rule of this direction choose peers relative to the end's namespace (sameLabels, notSameLabels)? */
export function hasRelativePeers(policy: AdminPolicy, direction: Direction): boolean {
  return policy[direction].some((rule) => rule.peers.some((peer) => (peer.type === 'namespaces' || peer.type === 'pods') && peer.relative !== undefined));
}

export function adminSelects(policy: AdminPolicy, pod: PodPeer, direction: Direction, context: MatchContext): boolean {
  return policy[direction].length > 0 && adminPeerMatches(policy.subject, pod, context);
}

/**
 * Walks the policies (already in priority order) and their rules in order; a connection takes the
 * action of the first rule that matches it. ANP rules are read as written: nothing is implied for
 * connections no rule mentions.
 */
export function adminVerdicts(policies: readonly AdminPolicy[], direction: Direction, src: Peer, dst: Peer, context: MatchContext): TierVerdicts {
  const other = direction === 'ingress' ? src : dst;
  const end = direction === 'ingress' ? dst : src;
  let { allow, deny, pass } = NO_VERDICTS;
  let decided = ConnectionSet.empty();
  for (const policy of policies) {
    for (const rule of policy[direction]) {
      if (!rule.peers.some((peer) => adminPeerMatches(peer, other, context, end))) continue;
      const conns = ruleConnections(rule.ports, dst, rule.origin.id, true).subtract(decided);
      if (conns.isEmpty()) continue;
      decided = decided.union(conns);
      if (rule.action === 'Allow') allow = allow.union(conns);
      else if (rule.action === 'Deny') deny = deny.union(conns);
      else pass = pass.union(conns);
    }
  }
  return { allow, deny, pass };
}
