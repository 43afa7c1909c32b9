import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/** Cilium layer: exact matrices for small inputs, and input errors with file:line:column. */

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app, labels: {role: client}}
spec: {serviceAccountName: client, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: gateway, namespace: app, labels: {role: gateway}}
spec: {serviceAccountName: gateway, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: app, labels: {role: model}}
spec: {serviceAccountName: model, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
`;

function matrix(policies: string): { connections: ReturnType<typeof meshMatrix>; errors: string[]; warnings: string[] } {
  const loaded = loadText('in.yaml', `${PODS}\n---\n${policies}`);
  const model = buildMeshModel(loaded.resources);
  const where = (e: { location?: { line: number; column: number } }): string => `${e.location?.line}:${e.location?.column}`;
  return { connections: model.errors.length ? [] : meshMatrix(model, 'pod'), errors: model.errors.map((e) => `${e.code} ${where(e)}`), warnings: model.warnings.map((e) => `${e.code} ${where(e)}`) };
}

const pairs = (m: ReturnType<typeof matrix>, dst: string): Record<string, unknown> => Object.fromEntries(m.connections.filter((c) => c.dst === dst).map((c) => [c.src, c.conns]));

describe('Cilium layer', () => {
  it('only the gateway may POST /v1/models/* on the named port, and only with the header', () => {
    const m = matrix(`
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: model-ingress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: model}}
  ingress:
  - fromEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: gateway}}]
    toPorts:
    - ports: [{port: http, protocol: TCP}]
      rules:
        http:
        - {method: POST, path: "/v1/models/.*", headers: ["X-Tenant: a"]}
`);
    expect(m.errors).toEqual([]);
    expect(pairs(m, 'app/model')).toEqual({ 'app/gateway': [{ protocol: '6', ports: '8080', methods: ['POST'], paths: ['/v1/models/*'], headers: ['x-tenant: a'] }] });
    // Ingress to the model only: every other pair is open (no egress policy, no other ingress policy).
    expect(pairs(m, 'app/client')).toEqual({ 'app/gateway': 'All', 'app/model': 'All', 'ip:0.0.0.0-255.255.255.255': 'All', 'ip:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff': 'All' });
  });

  it('a deny rule of any policy wins over every allow; egress [{}] denies all egress', () => {
    const m = matrix(`
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: allow-all}
spec:
  endpointSelector: {}
  ingress: [{fromEntities: [all]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-client, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: model}}
  ingressDeny: [{fromEndpoints: [{matchLabels: {role: client}}], toPorts: [{ports: [{port: "8000", endPort: 8100}]}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-no-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: gateway}}
  egress: [{}]
`);
    expect(m.errors).toEqual([]);
    const toModel = pairs(m, 'app/model');
    expect(toModel['app/gateway']).toBeUndefined();
    expect(toModel['app/client']).toEqual([{ protocol: '0-5,7-16,18-131,133-255' }, { protocol: '6,17,132', ports: '1-7999,8101-65535' }]);
  });

  it('refuses what Cilium refuses, with the place', () => {
    const m = matrix(`
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: bad, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: model}}
  ingress:
  - fromEndpoints: [{}]
    fromCIDR: [10.0.0.0/8]
  - fromEntities: [everything]
  - toPorts: [{ports: [{port: "80", protocol: ICMP}]}]
  - toPorts: [{ports: [{port: "90", endPort: 80}]}]
    icmps: [{fields: [{type: 8}]}]
`);
    // endPort 80 below port 90 is no error: keysForRange reads the single port 90.
    expect(m.errors).toEqual(['CILIUM_CONFLICTING_FIELDS 26:5', 'CILIUM_INVALID_ENTITY 27:20', 'CILIUM_INVALID_PROTOCOL 28:37', 'CILIUM_CONFLICTING_FIELDS 30:5']);
  });

  it('a policy without a namespace lands in the one namespace of the input, with a warning', () => {
    const m = matrix(`
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: deny-all-ingress}
spec:
  endpointSelector: {}
  ingress: [{}]
`);
    expect(m.warnings).toEqual(['MESH_NAMESPACE_ASSUMED 21:1', 'CILIUM_LOCAL_HOST_ALLOWED 24:3']);
    expect(m.connections.filter((c) => !c.dst.startsWith('ip:'))).toEqual([]);
  });
});
