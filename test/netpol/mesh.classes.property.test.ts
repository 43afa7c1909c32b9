import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { endpointClasses } from '../../src/netpol/layers/classes.js';
import { buildMeshModel, meshMatrix, meshMatrixPairwise } from '../../src/netpol/layers/matrix.js';

/**
 * The class-based matrix (endpoints no layer tells apart computed once, destinations pruned by
 * default-deny candidates) against the pairwise definition, on random small clusters mixing every
 * layer: Calico (tiers, Pass, nets, notSelector, named ports, http), Kubernetes NetworkPolicy, Istio
 * AuthorizationPolicy (ALLOW/DENY, principals, namespaces, ipBlocks, paths), PeerAuthentication,
 * Sidecar egress with Services and ServiceEntries, and Cilium (a separate cluster kind).
 */

type Gen<A> = A extends fc.Arbitrary<infer T> ? T : never;

const NAMESPACES = ['a', 'b', 'c'];
const APPS = ['web', 'db', 'cli'];

interface Workload {
  ns: string;
  app: string;
  sa: string;
  replicas: number;
  port?: number;
  noSidecar: boolean;
}

const workload: fc.Arbitrary<Workload> = fc.record({ ns: fc.constantFrom(...NAMESPACES), app: fc.constantFrom(...APPS), sa: fc.constantFrom('front', 'back'), replicas: fc.constantFrom(1, 2, 3), port: fc.option(fc.constantFrom(80, 8080), { nil: undefined }), noSidecar: fc.boolean() });

const calicoSelector = fc.constantFrom('all()', "app == 'web'", "app != 'db'", "app in {'db', 'cli'}", 'has(app)', "role == 'x'");
const calicoEntity = fc.oneof(
  fc.constant<Record<string, unknown>>({}),
  calicoSelector.map((selector) => ({ selector })),
  calicoSelector.map((notSelector) => ({ notSelector })),
  fc.constantFrom('10.0.0.0/8', '0.0.0.0/0').map((n) => ({ nets: [n] })),
  fc.constant<Record<string, unknown>>({ namespaceSelector: "kubernetes.io/metadata.name == 'b'" }),
  fc.constant<Record<string, unknown>>({ serviceAccounts: { names: ['front'] } }),
);
const calicoRule = fc.record({
  action: fc.constantFrom('Allow', 'Deny', 'Pass', 'Allow'),
  protocol: fc.option(fc.constantFrom('TCP', 'UDP'), { nil: undefined }),
  source: calicoEntity,
  destination: calicoEntity,
  ports: fc.option(fc.constantFrom<(number | string)[]>([80], ['http'], ['8000:9000']), { nil: undefined }),
  // HTTP match: applied on ingress (application layer policy), reported and left out on egress.
  http: fc.option(fc.record({ methods: fc.constant(['POST']), paths: fc.constantFrom([{ prefix: '/v1/' }], [{ exact: '/healthz' }, { prefix: '/v1/models' }]) }, { requiredKeys: [] }), { nil: undefined, freq: 3 }),
});
const calicoPolicy = fc.record({
  kind: fc.constantFrom('NetworkPolicy', 'GlobalNetworkPolicy'),
  ns: fc.constantFrom(...NAMESPACES),
  tier: fc.option(fc.constantFrom('security'), { nil: undefined }),
  order: fc.option(fc.constantFrom(10, 100), { nil: undefined }),
  selector: calicoSelector,
  types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(calicoRule, { maxLength: 2 }),
  egress: fc.array(calicoRule, { maxLength: 2 }),
});
const k8sPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  types: fc.constantFrom<string[]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  fromApp: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  anyNamespace: fc.boolean(),
  port: fc.option(fc.constantFrom<number | string>(80, 'http'), { nil: undefined }),
});
const istioSource = fc.oneof(
  fc.constantFrom('front', 'back').chain((sa) => fc.constantFrom(...NAMESPACES).map((ns) => ({ principals: [`cluster.local/ns/${ns}/sa/${sa}`] }))),
  fc.constant({ principals: ['cluster.local/ns/a/*'] }),
  fc.constantFrom(...NAMESPACES).map((ns) => ({ namespaces: [ns] })),
  fc.constant({ ipBlocks: ['10.0.0.0/8'] }),
  fc.constant({ notNamespaces: ['c'] }),
);
const istioPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES, 'istio-system'),
  action: fc.constantFrom('ALLOW', 'DENY', 'ALLOW'),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  rules: fc.array(fc.record({ from: fc.option(fc.array(istioSource, { minLength: 1, maxLength: 2 }), { nil: undefined }), to: fc.option(fc.record({ methods: fc.option(fc.constant(['POST']), { nil: undefined }), paths: fc.option(fc.constant(['/v1/*']), { nil: undefined }), ports: fc.option(fc.constant(['8080']), { nil: undefined }) }), { nil: undefined }) }), { minLength: 1, maxLength: 2 }),
});
const peerAuth = fc.record({ ns: fc.constantFrom(...NAMESPACES, 'istio-system'), mode: fc.constantFrom('STRICT', 'PERMISSIVE', 'DISABLE'), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }) });
const sidecar = fc.record({ ns: fc.constantFrom(...NAMESPACES, 'istio-system'), app: fc.option(fc.constantFrom(...APPS), { nil: undefined }), hosts: fc.subarray(['./*', 'b/*', '*/web.a.svc.cluster.local', '*/api.example.com'], { minLength: 1 }), registryOnly: fc.boolean() });
const ciliumPolicy = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  app: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  direction: fc.constantFrom('ingress', 'egress', 'ingressDeny', 'egressDeny'),
  peerApp: fc.option(fc.constantFrom(...APPS), { nil: undefined }),
  entity: fc.option(fc.constantFrom('world', 'cluster'), { nil: undefined }),
  port: fc.option(fc.constantFrom('80', 'http'), { nil: undefined }),
});

function workloadDocs(workloads: Workload[]): unknown[] {
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

function meshDocs(input: { calico: Gen<typeof calicoPolicy>[]; k8s: Gen<typeof k8sPolicy>[]; istio: Gen<typeof istioPolicy>[]; mtls: Gen<typeof peerAuth>[]; sidecars: Gen<typeof sidecar>[] }): unknown[] {
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

function ciliumDocs(policies: Gen<typeof ciliumPolicy>[]): unknown[] {
  return policies.map((p, i) => {
    const base = p.direction.startsWith('ingress') ? 'from' : 'to';
    const rule = { ...(p.peerApp ? { [`${base}Endpoints`]: [{ matchLabels: { app: p.peerApp } }] } : {}), ...(p.entity && !p.peerApp ? { [`${base}Entities`]: [p.entity] } : {}), ...(p.port ? { toPorts: [{ ports: [{ port: p.port, protocol: 'TCP' }] }] } : {}) };
    return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `cil${i}`, namespace: p.ns }, spec: { endpointSelector: matchLabels(p.app), [p.direction]: [rule] } };
  });
}

function expectSameMatrix(docs: unknown[]): void {
  const model = buildMeshModel(loadText('in.yaml', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  for (const resolution of ['pod', 'deployment'] as const) expect(meshMatrix(model, resolution)).toEqual(meshMatrixPairwise(model, resolution));
}

describe('mesh matrix by endpoint classes', () => {
  it('equals the pairwise matrix on random Calico + Kubernetes + Istio clusters, at pod and deployment resolution', () => {
    fc.assert(
      fc.property(
        fc.array(workload, { minLength: 1, maxLength: 6 }),
        fc.array(calicoPolicy, { maxLength: 3 }),
        fc.array(k8sPolicy, { maxLength: 2 }),
        fc.array(istioPolicy, { maxLength: 3 }),
        fc.array(peerAuth, { maxLength: 2 }),
        fc.array(sidecar, { maxLength: 2 }),
        (workloads, calico, k8s, istio, mtls, sidecars) => {
          expectSameMatrix([...workloadDocs(workloads), ...meshDocs({ calico, k8s, istio, mtls, sidecars })]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('equals the pairwise matrix on random Cilium clusters', () => {
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 6 }), fc.array(ciliumPolicy, { minLength: 1, maxLength: 4 }), fc.array(k8sPolicy, { maxLength: 1 }), (workloads, cilium, k8s) => {
        expectSameMatrix([...workloadDocs(workloads), ...ciliumDocs(cilium), ...meshDocs({ calico: [], k8s, istio: [], mtls: [], sidecars: [] })]);
      }),
      { numRuns: 60 },
    );
  });

  it('equals the pairwise matrix with an Istio egress-gateway flow (whole or half), Sidecars and AuthorizationPolicies', () => {
    const flow = fc.record({ mesh: fc.boolean(), gateway: fc.boolean(), replicas: fc.constantFrom(1, 2), sni: fc.constantFrom('api.example.com', 'other.example.com') });
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 5 }), flow, fc.array(istioPolicy, { maxLength: 2 }), fc.array(sidecar, { maxLength: 2 }), (workloads, f, istio, sidecars) => {
        const labels = { istio: 'egressgateway', app: 'egw' };
        const docs: unknown[] = [
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'egw', namespace: 'istio-system' }, spec: { replicas: f.replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'istio-proxy', image: 'x' }] } } } },
          { apiVersion: 'v1', kind: 'Service', metadata: { name: 'istio-egressgateway', namespace: 'istio-system' }, spec: { selector: labels, ports: [{ port: 443, targetPort: 8443 }] } },
          { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'apis', namespace: 'b' }, spec: { hosts: ['api.example.com', 'other.example.com'], resolution: 'DNS' } },
          { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'egress', namespace: 'istio-system' }, spec: { selector: { istio: 'egressgateway' }, servers: [{ port: { number: 443, name: 'tls', protocol: 'TLS' }, hosts: ['api.example.com'] }] } },
          {
            apiVersion: 'networking.istio.io/v1',
            kind: 'VirtualService',
            metadata: { name: 'api', namespace: 'b' },
            spec: {
              hosts: ['api.example.com', 'other.example.com'],
              gateways: ['mesh', 'istio-system/egress'],
              tls: [
                ...(f.mesh ? [{ match: [{ gateways: ['mesh'], port: 443, sniHosts: [f.sni] }], route: [{ destination: { host: 'istio-egressgateway.istio-system.svc.cluster.local', port: { number: 443 } } }] }] : []),
                ...(f.gateway ? [{ match: [{ gateways: ['istio-system/egress'], port: 443, sniHosts: ['api.example.com'] }], route: [{ destination: { host: 'api.example.com', port: { number: 443 } } }] }] : []),
              ],
            },
          },
        ];
        expectSameMatrix([...workloadDocs(workloads), ...docs, ...meshDocs({ calico: [], k8s: [], istio, mtls: [], sidecars })]);
      }),
      { numRuns: 50 },
    );
  });

  it('pods of one workload template fall into one class; a policy that selects one of two workloads splits them', () => {
    const docs = workloadDocs([
      { ns: 'a', app: 'web', sa: 'front', replicas: 3, noSidecar: false },
      { ns: 'a', app: 'db', sa: 'back', replicas: 2, noSidecar: false },
    ]);
    const plain = buildMeshModel(loadText('in.yaml', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources);
    // Nothing distinguishes any pod: one class (the topology keeps two pods of each template).
    expect(endpointClasses(plain).members.map((m) => m.map((ep) => ep.name))).toEqual([['a/w0-1', 'a/w0-2', 'a/w1-1', 'a/w1-2']]);
    const withPolicy = [...docs, { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'p', namespace: 'a' }, spec: { selector: { matchLabels: { app: 'db' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/a/sa/front'] } }] }] } }];
    const split = buildMeshModel(loadText('in.yaml', withPolicy.map((d) => JSON.stringify(d)).join('\n---\n')).resources);
    expect(endpointClasses(split).members.map((m) => m.map((ep) => ep.name))).toEqual([['a/w0-1', 'a/w0-2'], ['a/w1-1', 'a/w1-2']]);
  });
});
