import { NAMESPACE_NAME_LABEL, type AdminPeer, type Namespace, type NetpolIpBlock, type NetpolPeerSelector, type Peer, type PodPeer, type RelativeNamespaces, type RulePort } from '../model.js';
import { ConnectionSet } from '../sets/connectionSet.js';
import { PortSet } from '../sets/portSet.js';

/** How peers are matched where CNIs and np-guard differ. */
export interface MatchOptions {
  /** Real CNIs match an ipBlock against pod IPs; np-guard never does. */
  ipBlockMatchesPods: boolean;
}

export interface MatchContext extends MatchOptions {
  namespaces: ReadonlyMap<string, Namespace>;
}

/** A pod's namespace labels; a namespace absent from the input carries the one label the API server adds. */
function namespaceLabels(context: MatchContext, pod: PodPeer): Namespace['labels'] {
  return context.namespaces.get(pod.namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: pod.namespace };
}

/** Does a NetworkPolicy peer match? `policyNamespace` is where a bare podSelector looks. */
export function netpolPeerMatches(peer: NetpolPeerSelector | NetpolIpBlock, other: Peer, policyNamespace: string, context: MatchContext): boolean {
  if (peer.type === 'ipBlock') {
    if (other.type === 'ip') return peer.ips.contains(other.ips);
    return context.ipBlockMatchesPods && other.ips.some((ip) => peer.ips.contains(ip));
  }
  if (other.type !== 'pod') return false;
  const namespaceOk = peer.namespaceSelector ? peer.namespaceSelector.matches(namespaceLabels(context, other)) : other.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector?.matches(other.labels) ?? true);
}

/** Does an admin peer match `other`? `subject` is the policy's own end, for relative namespaces. */
export function adminPeerMatches(peer: AdminPeer, other: Peer, context: MatchContext, subject?: Peer): boolean {
  switch (peer.type) {
    case 'namespaces':
    case 'pods': {
      if (other.type !== 'pod') return false;
      const labels = namespaceLabels(context, other);
      if (!peer.namespaceSelector.matches(labels)) return false;
      if (peer.relative && !(subject?.type === 'pod' && relativeMatches(peer.relative, labels, namespaceLabels(context, subject)))) return false;
      return peer.type === 'namespaces' || peer.podSelector.matches(other.labels);
    }
    case 'networks':
      if (other.type === 'ip') return peer.ips.some((net) => net.contains(other.ips));
      return context.ipBlockMatchesPods && other.ips.some((ip) => peer.ips.some((net) => net.contains(ip)));
    case 'nodes':
      return false;
  }
}

/** v0.1.0-v0.1.1 sameLabels / notSameLabels: the peer namespace must carry every listed label. */
function relativeMatches(relative: RelativeNamespaces, peer: Namespace['labels'], subject: Namespace['labels']): boolean {
  const keys = 'same' in relative ? relative.same : relative.notSame;
  if (keys.length === 0 || !keys.every((k) => k in peer)) return false;
  return 'same' in relative ? keys.every((k) => peer[k] === subject[k]) : keys.some((k) => peer[k] !== subject[k]);
}

/**
 * The connections a rule's ports allow towards `destination`. Named ports resolve against the
 * destination pod's container ports; `protocolFromPod` is ANP's rule (the pod's protocol is used),
 * otherwise (NetworkPolicy) the rule's protocol must equal the container port's.
 */
export function ruleConnections(ports: readonly RulePort[] | undefined, destination: Peer, ruleId: string, protocolFromPod: boolean): ConnectionSet {
  if (ports === undefined) return ConnectionSet.all([ruleId]);
  let out = ConnectionSet.empty();
  for (const port of ports) {
    if ('ports' in port) {
      out = out.union(ConnectionSet.of(port.protocol, port.ports));
      continue;
    }
    if (destination.type !== 'pod') continue; // a name never resolves on an address
    // Every container port of that name (and protocol) counts, as CNIs that keep named-port sets
    // per pod do; a pod that gives one name several numbers is warned about when peers are built.
    for (const container of destination.ports) {
      if (container.name !== port.named || (!protocolFromPod && container.protocol !== port.protocol)) continue;
      out = out.union(ConnectionSet.of(container.protocol, PortSet.range(container.port, container.port, [ruleId])));
    }
  }
  return out;
}
