import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { endpointClasses } from '../../src/netpol/layers/classes.js';
import { buildMeshModel, meshMatrix, meshMatrixPairwise } from '../../src/netpol/layers/matrix.js';
import { calicoPolicy, ciliumDocs, ciliumPolicy, istioPolicy, k8sPolicy, meshDocs, peerAuth, sidecar, workload, workloadDocs } from './meshGenerators.js';

/**
 * The class-based matrix (endpoints no layer tells apart computed once, destinations pruned by
 * default-deny candidates) against the pairwise definition, on random small clusters mixing every
 * layer: Calico (tiers, Pass, nets, notSelector, named ports, http), Kubernetes NetworkPolicy, Istio
 * AuthorizationPolicy (ALLOW/DENY, principals, namespaces, ipBlocks, paths), PeerAuthentication,
 * Sidecar egress with Services and ServiceEntries, and Cilium (a separate cluster kind).
 */

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
