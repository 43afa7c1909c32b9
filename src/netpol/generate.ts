import type { NetpolModel } from './build.js';
import { DNS_PEER, type Intent } from './intents.js';
import { addressSet, matchPeers } from './lookup.js';
import { NAMESPACE_NAME_LABEL, type PodPeer } from './model.js';
import { serviceSelects, targetConnections, type Service } from './services.js';
import { PROTOCOLS, type ConnectionSet } from './sets/connectionSet.js';
import { coverage } from './sets/intervals.js';

/** A flow the generated policies must open: from a pod to a pod or an address range, on some ports. */
export interface Flow {
  src: PodPeer;
  dst: PodPeer | { cidr: string };
  /** undefined: every port. */
  ports?: ConnectionSet;
}

export interface GenerateOptions {
  /** Let every pod resolve names through kube-dns (53/UDP and 53/TCP). */
  dns: boolean;
}

type Json = Record<string, unknown>;

/** The flows the intents ask for (allow, onlyFrom and onlyTo name them; deny needs none). */
export function flowsFromIntents(model: NetpolModel, intents: readonly Intent[]): Flow[] {
  const flows: Flow[] = [];
  const destinations = (pattern: string): (PodPeer | { cidr: string })[] => {
    const address = addressSet(pattern);
    if (address) return [{ cidr: pattern.includes('/') ? pattern : `${pattern}/${address.family === 4 ? 32 : 128}` }];
    return matchPeers(model, pattern, 'destination').filter((p): p is PodPeer => p.type === 'pod');
  };
  const sources = (patterns: readonly string[]): PodPeer[] => patterns.flatMap((p) => matchPeers(model, p, 'source')).filter((p): p is PodPeer => p.type === 'pod');
  for (const intent of intents) {
    if (intent.shape === 'allow' || intent.shape === 'onlyFrom') {
      for (const src of sources(intent.from)) for (const to of intent.to) for (const dst of destinations(to)) if (dst !== src) flows.push({ src, dst, ...(intent.ports ? { ports: intent.ports } : {}) });
    } else if (intent.shape === 'onlyTo') {
      // `dns` is opened by the per-namespace allow-dns policy (GenerateOptions.dns), not per pod.
      for (const src of sources(intent.from)) for (const target of intent.onlyTo.filter((t) => t.peer !== DNS_PEER)) for (const dst of destinations(target.peer)) if (dst !== src) flows.push({ src, dst, ...(target.ports ? { ports: target.ports } : {}) });
    }
  }
  return flows;
}

/**
 * Without intents, the flows the manifests imply: every pod of a Service's namespace may reach the
 * Service's pods on its target ports (who calls a Service from elsewhere is not in the manifests).
 */
export function flowsFromServices(model: NetpolModel, services: readonly Service[]): Flow[] {
  const flows: Flow[] = [];
  for (const service of services) {
    for (const backend of model.pods.filter((p) => serviceSelects(service, p))) {
      const ports = targetConnections(service.ports, backend);
      if (ports.isEmpty()) continue;
      for (const client of model.pods) if (client.namespace === service.namespace && client !== backend) flows.push({ src: client, dst: backend, ports });
    }
  }
  return flows;
}

/**
 * Least-privilege NetworkPolicies: a default deny (ingress and egress) per namespace, then per pod
 * one egress policy listing where it may go and one ingress policy listing who may come, each rule
 * naming the peer by namespace name label and pod labels and only the ports the flow needs.
 * Probes need no rule: the kubelet probes from the pod's own node, which NetworkPolicies cannot
 * block (Kubernetes documents this among "what you can't do with network policies").
 */
export function generatePolicies(model: NetpolModel, flows: readonly Flow[], options: GenerateOptions): Json[] {
  const namespaces = [...new Set(model.pods.map((p) => p.namespace))].sort();
  const out: Json[] = [];
  for (const namespace of namespaces) {
    out.push(policy(namespace, 'default-deny-all', {}, { policyTypes: ['Ingress', 'Egress'] }));
    if (options.dns) {
      out.push(
        policy(namespace, 'allow-dns', {}, {
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
        }),
      );
    }
  }
  const egress = new Map<PodPeer, Json[]>();
  const ingress = new Map<PodPeer, Json[]>();
  for (const flow of flows) {
    const ports = flow.ports ? portEntries(flow.ports) : undefined;
    const to = 'cidr' in flow.dst ? { ipBlock: { cidr: flow.dst.cidr } } : peerSelector(flow.dst);
    egress.set(flow.src, [...(egress.get(flow.src) ?? []), { to: [to], ...(ports ? { ports } : {}) }]);
    if (!('cidr' in flow.dst)) ingress.set(flow.dst, [...(ingress.get(flow.dst) ?? []), { from: [peerSelector(flow.src)], ...(ports ? { ports } : {}) }]);
  }
  for (const [pod, rules] of egress) out.push(policy(pod.namespace, `${slug(pod.name)}-egress`, { matchLabels: pod.labels }, { policyTypes: ['Egress'], egress: dedupe(rules) }));
  for (const [pod, rules] of ingress) out.push(policy(pod.namespace, `${slug(pod.name)}-ingress`, { matchLabels: pod.labels }, { policyTypes: ['Ingress'], ingress: dedupe(rules) }));
  return out;
}

function policy(namespace: string, name: string, podSelector: Json, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'palisade' } }, spec: { podSelector, ...spec } };
}

function peerSelector(pod: PodPeer): Json {
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: pod.namespace } }, podSelector: { matchLabels: pod.labels } };
}

/** NetworkPolicy port entries for a connection set: one per contiguous range, endPort for ranges. */
function portEntries(conns: ConnectionSet): Json[] {
  const out: Json[] = [];
  for (const protocol of PROTOCOLS) {
    const ports = conns.ports(protocol);
    if (ports.isAll()) out.push({ protocol });
    else for (const { lo, hi } of coverage(ports.ranges)) out.push({ protocol, port: lo, ...(hi - 1 > lo ? { endPort: hi - 1 } : {}) });
  }
  return out;
}

function dedupe(rules: Json[]): Json[] {
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'workload';
}
