import fc from 'fast-check';

/**
 * Random clusters of Pods, Kubernetes NetworkPolicies, AdminNetworkPolicies and a
 * BaselineAdminNetworkPolicy (with the v0.1.0-v0.1.1 relative namespace forms), as YAML: the
 * NetworkPolicy engine's property test and the layered engine's (mesh.adminPolicies.property.test.ts)
 * draw from the same scenarios.
 */

export type Labels = Record<string, string>;
export type Json = Record<string, unknown>;
export interface ContainerPort { name: string; containerPort: number; protocol?: string }
export interface PodSpec { namespace: string; name: string; labels: Labels; ports: ContainerPort[] }

export const NAMESPACES = ['x', 'y', 'z', 'w'];
// Tenants: x and z share one, y has another, w has none.
export const NAMESPACE_LABELS: Record<string, Labels> = { x: { tenant: 'a' }, y: { tenant: 'b' }, z: { tenant: 'a' }, w: {} };
// Pods declare different subsets, and `http` means 80 on some pods and 8080 on others: named ports resolve per pod.
export const CONTAINER_PORTS: ContainerPort[] = [{ name: 'http', containerPort: 80, protocol: 'TCP' }, { name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'alt', containerPort: 8080 }, { name: 'http', containerPort: 8080 }];
export const containerPorts = fc.subarray(CONTAINER_PORTS).filter((ps) => new Set(ps.map((p) => p.name)).size === ps.length);
export const PROBE_PORTS = [1, 53, 80, 81, 443, 8080, 65535];
export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export const EXTERNAL = ['10.0.0.1', '10.1.0.1', '192.168.1.1'];

export const labels = fc.record({ app: fc.constantFrom('a', 'b', 'c') }, { requiredKeys: [] }).chain((l) => fc.option(fc.constantFrom('t1', 't2'), { nil: undefined }).map((t) => (t ? { ...l, tier: t } : l)));
export const selector = fc.oneof(
  fc.constant({}),
  fc.constantFrom('a', 'b', 'c').map((app) => ({ matchLabels: { app } })),
  fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist').map((operator) => ({ matchExpressions: [{ key: 'tier', operator, ...(operator === 'In' || operator === 'NotIn' ? { values: ['t1'] } : {}) }] })),
);
export const nsSelector = fc.oneof(fc.constant({}), fc.constantFrom(...NAMESPACES).map((n) => ({ matchLabels: { 'kubernetes.io/metadata.name': n } })), fc.constant({ matchLabels: { tenant: 'a' } }));
export const cidr = fc.constantFrom('10.0.0.0/8', '10.0.0.0/16', '192.168.0.0/16', '0.0.0.0/0');
export const netpolPeer = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  nsSelector.map((namespaceSelector) => ({ namespaceSelector })),
  fc.tuple(nsSelector, selector).map(([namespaceSelector, podSelector]) => ({ namespaceSelector, podSelector })),
  cidr.chain((c) => fc.option(fc.constant(['10.0.0.0/16']), { nil: undefined }).map((except) => ({ ipBlock: { cidr: c, ...(except && c === '10.0.0.0/8' ? { except } : {}) } }))),
);
export const protocol = fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined });
export const netpolPort = fc.oneof(
  fc.tuple(protocol, fc.constantFrom(53, 80, 443)).map(([p, port]) => ({ ...(p ? { protocol: p } : {}), port })),
  fc.tuple(protocol, fc.constantFrom('http', 'dns', 'alt')).map(([p, port]) => ({ ...(p ? { protocol: p } : {}), port })),
  fc.tuple(protocol, fc.constantFrom(1, 80)).map(([p, port]) => ({ ...(p ? { protocol: p } : {}), port, endPort: port + 400 })),
  fc.constantFrom(...PROTOCOLS).map((p) => ({ protocol: p })),
);
export const netpolRule = (peerKey: 'from' | 'to') =>
  fc.record({ [peerKey]: fc.array(netpolPeer, { maxLength: 2 }), ports: fc.array(netpolPort, { maxLength: 2 }) }, { requiredKeys: [] });
export const networkPolicy = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  podSelector: selector,
  policyTypes: fc.option(fc.subarray(['Ingress', 'Egress'], { minLength: 1 }), { nil: undefined }),
  ingress: fc.option(fc.array(netpolRule('from'), { maxLength: 2 }), { nil: undefined }),
  egress: fc.option(fc.array(netpolRule('to'), { maxLength: 2 }), { nil: undefined }),
});
export const adminPeer = fc.oneof(nsSelector.map((namespaces) => ({ namespaces })), fc.tuple(nsSelector, selector).map(([namespaceSelector, podSelector]) => ({ pods: { namespaceSelector, podSelector } })));
export const legacyNamespaces = fc.oneof(fc.constant({ sameLabels: ['tenant'] }), fc.constant({ notSameLabels: ['tenant'] }), nsSelector.map((namespaceSelector) => ({ namespaceSelector })));
export const rulePeer = fc.oneof(adminPeer, legacyNamespaces.map((namespaces) => ({ namespaces })), fc.tuple(legacyNamespaces, selector).map(([namespaces, podSelector]) => ({ pods: { namespaces, podSelector } })));
export const adminPort = fc.oneof(
  fc.tuple(protocol, fc.constantFrom(53, 80)).map(([p, port]) => ({ portNumber: { protocol: p ?? 'TCP', port } })),
  fc.constantFrom('http', 'dns').map((namedPort) => ({ namedPort })),
  fc.tuple(protocol, fc.constantFrom(1, 80)).map(([p, start]) => ({ portRange: { protocol: p ?? 'TCP', start, end: start + 400 } })),
);
export const adminRule = (actions: readonly string[], peerKey: 'from' | 'to') =>
  fc.record({ action: fc.constantFrom(...actions), [peerKey]: fc.array(peerKey === 'to' ? fc.oneof(rulePeer, cidr.map((c) => ({ networks: [c] }))) : rulePeer, { minLength: 1, maxLength: 2 }), ports: fc.option(fc.array(adminPort, { minLength: 1, maxLength: 2 }), { nil: undefined }) });
export const adminPolicy = (actions: readonly string[]) =>
  fc.record({ subject: adminPeer, ingress: fc.array(adminRule(actions, 'from'), { maxLength: 2 }), egress: fc.array(adminRule(actions, 'to'), { maxLength: 2 }) });

export const scenario = fc.record({
  pods: fc.array(fc.tuple(fc.constantFrom(...NAMESPACES), labels, containerPorts), { minLength: 2, maxLength: 5 }),
  netpols: fc.array(networkPolicy, { maxLength: 3 }),
  anps: fc.array(adminPolicy(['Allow', 'Deny', 'Pass']), { maxLength: 2 }),
  banp: fc.option(adminPolicy(['Allow', 'Deny']), { nil: undefined }),
});

export function manifests(pods: PodSpec[], s: { netpols: Json[]; anps: Json[]; banp?: Json }): string {
  const docs: Json[] = NAMESPACES.map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: NAMESPACE_LABELS[name] } }));
  docs.push(...pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: p.name, namespace: p.namespace, labels: p.labels }, spec: { containers: [{ name: 'c', image: 'i', ports: p.ports }] } })));
  s.netpols.forEach((n, i) => docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: n.namespace }, spec: Object.fromEntries(Object.entries(n).filter(([k, v]) => k !== 'namespace' && v !== undefined)) }));
  s.anps.forEach((a, i) => docs.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: `anp${i}` }, spec: { priority: i * 10, ...named(a) } }));
  if (s.banp) docs.push({ apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'BaselineAdminNetworkPolicy', metadata: { name: 'default' }, spec: named(s.banp) });
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

function named(a: Json): Json {
  const withNames = (rules: Json[]) => rules.map((r, i) => ({ name: `r${i}`, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) }));
  return { subject: a.subject, ingress: withNames(a.ingress as Json[]), egress: withNames(a.egress as Json[]) };
}

