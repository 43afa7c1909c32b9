import fc from 'fast-check';

/**
 * Random small clusters mixing every layer, shared by the mesh property tests: Calico (tiers, Pass,
 * nets, notSelector, named ports, http), Kubernetes NetworkPolicy, Istio AuthorizationPolicy
 * (ALLOW/DENY, principals, namespaces, ipBlocks, methods, paths, hosts), PeerAuthentication, Sidecar
 * egress with Services and ServiceEntries, and Cilium (a separate cluster kind, with L7 http rules).
 */

export type Gen<A> = A extends fc.Arbitrary<infer T> ? T : never;

export const NAMESPACES = ['a', 'b', 'c'];
export const APPS = ['web', 'db', 'cli'];

export interface Workload {
  ns: string;
  app: string;
  sa: string;
  replicas: number;
  port?: number;
  noSidecar: boolean;
}

export const workload: fc.Arbitrary<Workload> = fc.record({ ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), sa: fc.constantFrom('front', 'back'), replicas: fc.constantFrom(1, 2, 3), port: fc.option(fc.constantFrom(80, 8080), { nil: undefined }), noSidecar: fc.boolean() });

export const calicoSelector = fc.constantFrom('all()', "app == 'web'", "app != 'db'", "app in {'db', 'cli'}", 'has(app)', "role == 'x'");
export const calicoEntity = fc.oneof(
  fc.constant<Record<string, unknown>>({}),
  calicoSelector.map((selector) => ({ selector })),
  calicoSelector.map((notSelector) => ({ notSelector })),
  fc.constantFrom('10.0.0.0/8', '0.0.0.0/0').map((n) => ({ nets: [n] })),
  fc.constant<Record<string, unknown>>({ namespaceSelector: "kubernetes.io/metadata.name == 'b'" }),
  fc.constant<Record<string, unknown>>({ serviceAccounts: { names: ['front'] } }),
);
export const calicoRule = fc.record({
  action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Allow'),
  protocol: fc.option(fc.constantFrom('TCP', 'UDP'), { nil: undefined }),
  source: calicoEntity,
  destination: calicoEntity,
  ports: fc.option(fc.constantFrom<(number | string)[]>([80], ['http'], ['8000:9000']), { nil: undefined }),
  // HTTP match: applied on ingress (application layer policy), reported and left out on egress.
  http: fc.option(fc.record({ methods: fc.constant(['POST']), paths: fc.constantFrom([{ prefix: '/v1/' }], [{ exact: '/healthz' }, { prefix: '/v1/models' }]) }, { requiredKeys: [] }), { nil: undefined, freq: 3 }),
});
export const calicoPolicy = fc.record({
  kind: fc.constantFrom('NetworkPolicy', 'GlobalNetworkPolicy'),
  ns: fc.constantFrom(...NAMESPACES),
  tier: fc.option(fc.constantFrom('security'), { nil: undefined }),
  order: fc.option(fc.constantFrom(10, 100), { nil: undefined }),
  selector: calicoSelector,
  types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(calicoRule, { maxLength: 2 }),
  egress: fc.array(calicoRule, { maxLength: 2 }),
});
export const k8sPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  fromApp: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  anyNamespace: fc.boolean(),
  port: fc.option(fc.constantFrom<number | string>(80, 'http'), { nil: undefined }),
});
export const istioSource = fc.oneof(
  fc.constantFrom('front', 'back').chain((sa) => fc.constantFrom(...NAMESPACES).map((ns) => ({ principals: [`cluster.local/ns/${ns}/sa/${sa}`] }))),
  fc.constant({ principals: ['cluster.local/ns/a/*'] }),
  fc.constantFrom(...NAMESPACES).map((ns) => ({ namespaces: [ns] })),
  fc.constant({ ipBlocks: ['10.0.0.0/8'] }),
  fc.constant({ notNamespaces: ['c'] }),
);
export const istioPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES, 'istio-system'),
  action: fc.constantFrom('ALLOW', 'DENY', 'ALLOW'),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  rules: fc.array(fc.record({ from: fc.option(fc.array(istioSource, { minLength: 1, maxLength: 2 }), { nil: undefined }), to: fc.option(fc.record({ methods: fc.option(fc.constantFrom(['POST'], ['GET', 'POST']), { nil: undefined }), paths: fc.option(fc.constantFrom(['/v1/*'], ['/v1/models/iris:predict'], ['*:predict'], ['/healthz']), { nil: undefined }), hosts: fc.option(fc.constantFrom(['api.example.com'], ['*.example.com']), { nil: undefined, freq: 4 }), ports: fc.option(fc.constant(['8080']), { nil: undefined }) }), { nil: undefined }) }), { minLength: 1, maxLength: 2 }),
});
export const peerAuth = fc.record({ ns: fc.constantFrom(...NAMESPACES, 'istio-system'), mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }) });
export const sidecar = fc.record({ ns: fc.constantFrom(...NAMESPACES, 'istio-system'), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }), hosts: fc.subarray(['./*', 'b/*', '*/web.a.svc.cluster.local', '*/api.example.com'], { minLength: 1 }), registryOnly: fc.boolean() });
export const ciliumPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  direction: fc.constantFrom('ingress', 'egress', 'ingressDeny', 'egressDeny'),
  peerApp: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  entity: fc.option(fc.constantFrom('world', 'cluster'), { nil: undefined }),
  port: fc.option(fc.constantFrom('80', 'http'), { nil: undefined }),
  // L7 http rules on a port (allow rules only: Cilium refuses L7 in deny rules).
  http: fc.option(fc.constantFrom<Record<string, unknown>[]>([{ method: 'POST', path: '/v1/.*' }], [{ path: '/healthz' }], [{ method: 'GET' }, { path: '.*:predict' }], [{ host: 'api\\.example\\.com' }]), { nil: undefined, freq: 3 }),
});

export function workloadDocs(workloads: Workload[]): unknown[] {
  const docs: unknown[] = NAMESPACES.map((ns) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: ns === 'c' ? { 'istio-injection': 'disabled' } : {} } }));
  workloads.forEach((w, i) => {
    const labels = { app: w.app };
    docs.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `w${i}`, namespace: w.ns },
      spec: { replicas: w.replicas, selector: { matchLabels: labels }, template: { metadata: { labels, ...(w.noSidecar ? { annotations: { 'sidecar.istio.io/inject': 'false' } } : {}) }, spec: { serviceAccountName: w.sa, containers: [{ name: 'c', image: 'x', ...(w.port ? { ports: [{ name: 'http', containerPort: w.port }] } : {}) }] } } },
    });
  });
  // No Service for cli: its pods are told apart by namespace alone.
  for (const ns of NAMESPACES) for (const app of ['web', 'db']) docs.push({ apiVersion: 'v1', kind: 'Service', metadata: { name: app, namespace: ns }, spec: { selector: { app }, ports: [{ port: 80 }] } });
  return docs;
}

const matchLabels = (app: string | undefined): Record<string, unknown> => (app ? { matchLabels: { app } } : {});

export function meshDocs(input: { calico: Gen<typeof calicoPolicy>[]; k8s: Gen<typeof k8sPolicy>[]; istio: Gen<typeof istioPolicy>[]; mtls: Gen<typeof peerAuth>[]; sidecars: Gen<typeof sidecar>[] }): unknown[] {
  const docs: unknown[] = [{ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: 'security' }, spec: { order: 10, defaultAction: 'Pass' } }];
  const rule = (r: Gen<typeof calicoRule>): Record<string, unknown> => {
    const withPorts = r.ports && r.protocol;
    return { action: r.action, ...(r.protocol ? { protocol: r.protocol } : {}), source: r.source, destination: { ...r.destination, ...(withPorts ? { ports: r.ports } : {}) }, ...(r.http ? { http: r.http } : {}) };
  };
  input.calico.forEach((p, i) =>
    docs.push({
      apiVersion: 'projectcalico.org/v3',
      kind: p.kind,
      metadata: { name: `${p.tier ? `${p.tier}.` : ''}c${i}`, ...(p.kind === 'NetworkPolicy' ? { namespace: p.ns } : {}) },
      spec: { ...(p.tier ? { tier: p.tier } : {}), ...(p.order !== undefined ? { order: p.order } : {}), selector: p.selector, types: p.types, ...(p.types.includes('Ingress') ? { ingress: p.ingress.map(rule) } : {}), ...(p.types.includes('Egress') ? { egress: p.egress.map(rule) } : {}) },
    }),
  );
  input.k8s.forEach((p, i) => {
    const peer = { ...(p.fromApp ? { podSelector: { matchLabels: { app: p.fromApp } } } : {}), ...(p.anyNamespace ? { namespaceSelector: {} } : {}) };
    const r = { ...(Object.keys(peer).length > 0 ? { [p.types[0] === 'Ingress' ? 'from' : 'to']: [peer] } : {}), ...(p.port !== undefined ? { ports: [{ port: p.port }] } : {}) };
    docs.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `k${i}`, namespace: p.ns }, spec: { podSelector: matchLabels(p.app), policyTypes: p.types, [p.types[0] === 'Ingress' ? 'ingress' : 'egress']: [r] } });
  });
  input.istio.forEach((p, i) =>
    docs.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: `i${i}`, namespace: p.ns },
      spec: { action: p.action, ...(p.app ? { selector: { matchLabels: { app: p.app } } } : {}), rules: p.rules.map((r) => ({ ...(r.from ? { from: r.from.map((source) => ({ source })) } : {}), ...(r.to ? { to: [{ operation: Object.fromEntries(Object.entries(r.to).filter(([, v]) => v !== undefined)) }] } : {}) })) },
    }),
  );
  input.mtls.forEach((p, i) => docs.push({ apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: `m${i}`, namespace: p.ns }, spec: { ...(p.app && p.ns !== 'istio-system' ? { selector: { matchLabels: { app: p.app } } } : {}), mtls: { mode: p.mode } } }));
  if (input.sidecars.length > 0) docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'a' }, spec: { hosts: ['api.example.com'], exportTo: ['.'], resolution: 'NONE' } });
  // One Sidecar per namespace (two without a workload selector in one namespace are an input error).
  const byNs = new Map(input.sidecars.map((s) => [s.ns, s]));
  for (const s of byNs.values()) docs.push({ apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: `s-${s.ns}`, namespace: s.ns }, spec: { ...(s.app && s.ns !== 'istio-system' ? { workloadSelector: { labels: { app: s.app } } } : {}), egress: [{ hosts: s.hosts }], outboundTrafficPolicy: { mode: s.registryOnly ? 'REGISTRY_ONLY' : 'ALLOW_ANY' } } });
  return docs;
}

export function ciliumDocs(policies: Gen<typeof ciliumPolicy>[]): unknown[] {
  return policies.map((p, i) => {
    const base = p.direction.startsWith('ingress') ? 'from' : 'to';
    const rule = { ...(p.peerApp ? { [`${base}Endpoints`]: [{ matchLabels: { app: p.peerApp } }] } : {}), ...(p.entity && !p.peerApp ? { [`${base}Entities`]: [p.entity] } : {}), ...(p.port ? { toPorts: [{ ports: [{ port: p.port, protocol: 'TCP' }], ...(p.http && !p.direction.endsWith('Deny') ? { rules: { http: p.http } } : {}) }] } : {}) };
    return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `cil${i}`, namespace: p.ns }, spec: { endpointSelector: matchLabels(p.app), [p.direction]: [rule] } };
  });
}

