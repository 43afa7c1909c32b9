import type { NetpolModel } from './build.js';
import { DNS_PEER, type HttpScope, type Intent } from './intents.js';
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
  /** The HTTP requests the flow carries (TCP), when the intent names methods or paths. */
  http?: HttpScope;
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
      for (const src of sources(intent.from)) for (const to of intent.to) for (const dst of destinations(to)) if (dst !== src) flows.push({ src, dst, ...(intent.ports ? { ports: intent.ports } : {}), ...(intent.http ? { http: intent.http } : {}) });
    } else if (intent.shape === 'onlyTo') {
      // `dns` is opened by the per-namespace allow-dns policy (GenerateOptions.dns), not per pod.
      for (const src of sources(intent.from)) for (const target of intent.onlyTo.filter((t) => t.peer !== DNS_PEER)) for (const dst of destinations(target.peer)) if (dst !== src) flows.push({ src, dst, ...(target.ports ? { ports: target.ports } : {}), ...(target.http ? { http: target.http } : {}) });
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

/** Istio lists ports one by one; a flow on more ports than this is left to the NetworkPolicy's port rule. */
const MAX_LISTED_PORTS = 64;

/**
 * Istio AuthorizationPolicies for the flows with methods or paths (NetworkPolicies cannot say them):
 * one ALLOW policy per destination that receives such a flow, selecting it by its labels, with one
 * rule per flow into it (an ALLOW policy denies what none of its rules match, so the destination's
 * other TCP flows get a rule too). Sources are named by their service account's principal
 * (`cluster.local/ns/NS/sa/SA`), which is what Istio knows of a peer. Notes say where the policies
 * are wider than the intents: a path with an inner `*` (Istio matches one `*` at the start or end
 * only, so `/v1/models/*:predict` becomes `/v1/models/*`), pods that share a service account, a
 * flow on more ports than Istio's list is kept to.
 */
export function generateAuthorizationPolicies(flows: readonly Flow[]): { policies: Json[]; notes: string[] } {
  const notes = new Set<string>();
  const byDst = new Map<PodPeer, Flow[]>();
  for (const flow of flows) if (!('cidr' in flow.dst)) byDst.set(flow.dst, [...(byDst.get(flow.dst) ?? []), flow]);
  const principal = (pod: PodPeer): string => `cluster.local/ns/${pod.namespace}/sa/${pod.serviceAccount ?? 'default'}`;
  const out: Json[] = [];
  const identities = new Map<string, Set<string>>();
  for (const [dst, list] of byDst) {
    if (!list.some((f) => f.http)) continue;
    const rules = new Map<string, { principals: Set<string>; to?: Json }>();
    for (const flow of list) {
      const tcp = flow.ports ? flow.ports.ports('TCP') : undefined;
      if (tcp?.isEmpty()) continue; // Istio judges TCP only.
      const operation: Json = {};
      if (tcp && !tcp.isAll()) {
        const ports = coverage(tcp.ranges).flatMap(({ lo, hi }) => Array.from({ length: Math.min(hi - lo, MAX_LISTED_PORTS + 1) }, (_, i) => String(lo + i)));
        if (ports.length <= MAX_LISTED_PORTS) operation.ports = ports;
        else notes.add(`${flow.src.id} => ${dst.id}: more than ${MAX_LISTED_PORTS} ports; the AuthorizationPolicy rule takes every port (the NetworkPolicy keeps the range)`);
      }
      if (flow.http?.methods) operation.methods = flow.http.methods;
      if (flow.http?.paths) {
        operation.paths = [...new Set(flow.http.paths.map((p) => istioPath(p, notes)))];
      }
      const to = Object.keys(operation).length > 0 ? { operation } : undefined;
      const key = JSON.stringify(to ?? null);
      const rule = rules.get(key) ?? { principals: new Set<string>(), ...(to ? { to } : {}) };
      rule.principals.add(principal(flow.src));
      rules.set(key, rule);
      const who = identities.get(principal(flow.src)) ?? new Set<string>();
      who.add(flow.src.id);
      identities.set(principal(flow.src), who);
    }
    const spec = {
      selector: { matchLabels: dst.labels },
      action: 'ALLOW',
      rules: [...rules.values()].map((r) => ({ from: [{ source: { principals: [...r.principals].sort() } }], ...(r.to ? { to: [r.to] } : {}) })),
    };
    out.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `${slug(dst.name)}-allow`, namespace: dst.namespace, labels: { 'app.kubernetes.io/managed-by': 'palisade' } }, spec });
  }
  for (const [p, who] of identities) if (who.size > 1) notes.add(`${[...who].sort().join(', ')} share the identity ${p}: Istio cannot tell them apart`);
  return { policies: out, notes: [...notes] };
}

/** An intent path as an Istio one: an inner `*` keeps its prefix (wider, said in a note). */
function istioPath(path: string, notes: Set<string>): string {
  const star = path.indexOf('*');
  if (star <= 0 || star === path.length - 1) return path;
  notes.add(`path "${path}": Istio matches one "*" at the start or the end only; the AuthorizationPolicy allows "${path.slice(0, star + 1)}"`);
  return path.slice(0, star + 1);
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
