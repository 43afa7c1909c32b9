import { netpolPeerMatches } from '../eval/match.js';
import type { NetpolPeer, NetpolRule, Peer } from '../model.js';
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
    // Many policies repeat one from/to entry (DNS, same namespace, a team's gateway): the peers an
    // entry matches are found once per shape, and a bare podSelector looks in its namespace only.
    const podsIn = new Map<string, Peer[]>();
    for (const pod of model.pods) {
      const list = podsIn.get(pod.namespace);
      if (list) list.push(pod);
      else podsIn.set(pod.namespace, [pod]);
    }
    const byShape = new Map<string, Peer[]>();
    const shapeOf = (entry: NetpolPeer, namespace: string): string => (entry.type === 'ipBlock' ? `ip ${entry.ips.family} ${entry.ips.toString()}` : `${entry.namespaceSelector?.key ?? `ns=${namespace}`} / ${entry.podSelector?.key ?? '*'}`);
    const entryPeers = (entry: NetpolPeer, namespace: string): Peer[] => {
      const shape = shapeOf(entry, namespace);
      let found = byShape.get(shape);
      if (!found) {
        const candidates = entry.type !== 'ipBlock' && !entry.namespaceSelector ? (podsIn.get(namespace) ?? []) : peers;
        found = candidates.filter((p) => netpolPeerMatches(entry, p, namespace, { namespaces: model.namespaces, ipBlockMatchesPods: false }));
        byShape.set(shape, found);
      }
      return found;
    };
    // A rule's peers depend only on its entries' shapes, so rules of the same shapes share one set
    // (every policy of a replicated stack repeats them), and whether one set covers another is
    // decided once per pair of shapes.
    const bySignature = new Map<string, Set<Peer>>();
    const matched = (rule: NetpolRule, namespace: string): { key: string; peers: Set<Peer> } => {
      const key = rule.peers ? rule.peers.map((entry) => shapeOf(entry, namespace)).join('\u0000') : '\u0001every peer';
      let out = bySignature.get(key);
      if (!out) {
        if (!rule.peers) out = new Set(peers);
        else {
          out = new Set<Peer>();
          for (const entry of rule.peers) for (const p of entryPeers(entry, namespace)) out.add(p);
        }
        bySignature.set(key, out);
      }
      return { key, peers: out };
    };
    const covers = new Map<string, boolean>();
    const peersCovered = (narrow: { key: string; peers: Set<Peer> }, wide: { key: string; peers: Set<Peer> }): boolean => {
      const pair = `${narrow.key}\u0002${wide.key}`;
      let answer = covers.get(pair);
      if (answer === undefined) {
        answer = narrow.peers.size <= wide.peers.size && [...narrow.peers].every((p) => wide.peers.has(p));
        covers.set(pair, answer);
      }
      return answer;
    };
    for (const policy of model.policies.networkPolicies) {
      for (const direction of ['ingress', 'egress'] as const) {
        const rules = (policy[direction] ?? []).filter((r) => !r.ports?.some((p) => 'named' in p));
        if (rules.length < 2) continue; // a rule can only be shadowed by another one
        const covered = rules.map((r) => {
          const { key, peers } = matched(r, policy.namespace);
          return { rule: r, key, peers, conns: ports(r) };
        });
        covered.forEach((narrow, i) => {
          // A rule that matches no peer of the input (its pods live elsewhere) cannot be judged.
          if (narrow.peers.size === 0) return;
          const broader = covered.find((wide, j) => j !== i && (j < i || !same(wide, narrow)) && peersCovered(narrow, wide) && narrow.conns.subtract(wide.conns).isEmpty());
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

function ports(rule: NetpolRule): ConnectionSet {
  if (!rule.ports) return ConnectionSet.all();
  return rule.ports.reduce((acc, p) => ('ports' in p ? acc.union(ConnectionSet.of(p.protocol, p.ports)) : acc), ConnectionSet.empty());
}

function same(a: { key: string; peers: Set<Peer>; conns: ConnectionSet }, b: { key: string; peers: Set<Peer>; conns: ConnectionSet }): boolean {
  return a.peers.size === b.peers.size && (a.peers === b.peers || [...a.peers].every((p) => b.peers.has(p))) && a.conns.equals(b.conns);
}
