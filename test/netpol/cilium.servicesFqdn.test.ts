import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';
import { explainMesh } from '../../src/netpol/layers/explain.js';

/**
 * Cilium toServices and toFQDNs: exact matrices from the Services, Endpoints, EndpointSlices and
 * Istio ServiceEntry hosts of the input, and the warnings where the input lacks what Cilium reads.
 */

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

function run(more: string): { model: ReturnType<typeof buildMeshModel>; from: (src: string) => Record<string, unknown>; warnings: string[] } {
  const loaded = loadText('in.yaml', `${PODS}---\n${more}`);
  const model = buildMeshModel(loaded.resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const matrix = meshMatrix(model, 'pod');
  const from = (src: string): Record<string, unknown> => Object.fromEntries(matrix.filter((c) => c.src === src).map((c) => [c.dst, c.conns]));
  return { model, from, warnings: model.warnings.map((w) => `${w.code} ${w.location?.line}:${w.location?.column} ${w.message.slice(w.message.indexOf(': ') + 2)}`) };
}

const SERVICES = `apiVersion: v1
kind: Service
metadata: {name: model, namespace: app}
spec: {selector: {role: model}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: app, labels: {external: "yes"}}
spec: {ports: [{port: 5432}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: db, namespace: app}
subsets: [{addresses: [{ip: 192.0.2.10}], notReadyAddresses: [{ip: 192.0.2.99}], ports: [{port: 5432}]}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: db-1, namespace: app, labels: {kubernetes.io/service-name: db}}
addressType: IPv4
endpoints: [{addresses: [192.0.2.11]}, {addresses: [192.0.2.12], conditions: {ready: false}}]
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: ext}
spec: {ports: [{port: 80}]}
---
`;

describe('Cilium toServices', () => {
  it('a Service with a selector stands for its pods, one without for its ready endpoint addresses; a namespace left out is any', () => {
    // pkg/policy/k8s/service.go processRule: appendSelector for a Service with a selector, appendEndpoints (toCIDRSet) without.
    const { from, warnings } = run(`${SERVICES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toServices: [{k8sService: {serviceName: model, namespace: app}}]
    toPorts: [{ports: [{port: "8080", protocol: TCP}]}]
  - toServices: [{k8sServiceSelector: {selector: {matchLabels: {external: "yes"}}}}]
  - toServices: [{k8sService: {serviceName: legacy}}, {k8sService: {serviceName: missing, namespace: app}}]
`);
    expect(from('app/client')).toEqual({ 'app/model': [{ protocol: '6', ports: '8080' }], 'ip:192.0.2.10-192.0.2.10': 'All', 'ip:192.0.2.11-192.0.2.11': 'All' });
    expect(warnings).toEqual([
      'CILIUM_OUT_OF_SCOPE 52:18 the Service ext/legacy has no selector and the input holds no Endpoints or EndpointSlices for it: its addresses are unknown, so it adds nothing',
      'CILIUM_OUT_OF_SCOPE 52:55 the input holds no Service app/missing: the entry allows nothing (as Cilium, until such a Service exists)',
    ]);
  });

  it('k8sServiceSelector with a namespace selects only there; a rule whose Services resolve to nothing allows nothing, even with toPorts', () => {
    // An egress rule with toServices does not wildcard its L3 (api.EgressCommonRule.AllowsWildcarding).
    const { from } = run(`${SERVICES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toServices: [{k8sServiceSelector: {selector: {matchLabels: {external: "yes"}}, namespace: ext}}]
    toPorts: [{ports: [{port: "5432", protocol: TCP}]}]
`);
    expect(from('app/client')).toEqual({});
  });

  it('an egressDeny toServices denies the Service pods', () => {
    const { from } = run(`${SERVICES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: no-model, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  enableDefaultDeny: {egress: false}
  egressDeny: [{toServices: [{k8sService: {serviceName: model}}]}]
`);
    expect(from('app/client')).toEqual({ 'app/gateway': 'All', 'ip:0.0.0.0-255.255.255.255': 'All', 'ip:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff': 'All' });
  });
});

const ENTRIES = `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: apis, namespace: app}
spec: {hosts: [api.example.com, "*.models.example.org"], location: MESH_EXTERNAL}
---
`;

describe('Cilium toFQDNs', () => {
  it('selects the ServiceEntry hosts its names match, for the pods whose DNS rules let the names through; other addresses are an assumption', () => {
    const { model, from, warnings } = run(`${ENTRIES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toFQDNs: [{matchName: api.example.com}, {matchPattern: "*.models.example.org"}]
    toPorts: [{ports: [{port: "443", protocol: TCP}]}]
  - toEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": kube-system, k8s-app: kube-dns}}]
    toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*.example.com"}]}}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: gateway-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: gateway}}
  egress:
  - toFQDNs: [{matchName: api.example.com}]
`);
    // client: api.example.com passes its DNS rule (*.example.com), *.models.example.org does not, so only the first host.
    expect(from('app/client')).toEqual({ 'dns:api.example.com': [{ protocol: '6', ports: '443' }], 'ip:0.0.0.0-255.255.255.255': [{ protocol: '6', ports: '443' }], 'ip:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff': [{ protocol: '6', ports: '443' }] });
    // gateway: no DNS rule, so Cilium learns no address: nothing at all (egress default deny).
    expect(from('app/gateway')).toEqual({});
    // model: no Cilium policy; the hosts over TCP (the sidecar's, ALLOW_ANY).
    expect(from('app/model')['dns:*.models.example.org']).toEqual([{ protocol: '6' }]);
    expect(warnings.filter((w) => w.startsWith('CILIUM'))).toEqual([
      'CILIUM_OUT_OF_SCOPE 31:68 the matrix does not split DNS queries by name: the port is read as open to every query (the names decide which toFQDNs selectors learn addresses)',
      'CILIUM_OUT_OF_SCOPE 28:5 toFQDNs allows the addresses DNS answers for api.example.com, *.models.example.org at run time, which no manifest holds: read as every address outside the cluster (toFQDNs never selects in-cluster ones) for app/client, besides the ServiceEntry hosts the names match',
      "CILIUM_OUT_OF_SCOPE 39:5 no egress dns rule of a policy selecting app/gateway lets a name of api.example.com through Cilium's DNS proxy, so Cilium learns no address for them: the rule allows them nothing",
    ]);
    // explain names the Cilium rule that opens the host.
    const client = model.topology.endpoints.find((e) => e.name === 'app/client')!;
    const host = model.sidecars.dnsEntries.find((e) => e.name === 'dns:api.example.com')!;
    const cilium = explainMesh(model, client, host).layers.find((l) => l.layer.startsWith('Cilium'));
    expect(cilium?.steps.map((s) => s.rule)).toEqual(['CiliumNetworkPolicy app/client-egress egress[0]']);
  });

  it('the addresses toFQDNs is assumed to allow do not make it a world rule: hosts its names do not match stay closed', () => {
    // api.example.com is not let through (the dns rule allows *.models.example.org only), and *.models.example.org is not a toFQDNs name.
    const { from } = run(`${ENTRIES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toFQDNs: [{matchName: api.example.com}]
  - toEndpoints: [{matchLabels: {role: gateway}}]
    toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "*.models.example.org"}]}}]
`);
    expect(from('app/client')).toEqual({ 'app/gateway': [{ protocol: '6,17,132', ports: '53' }] });
  });

  it('the world entity holds the ServiceEntry hosts; a Cilium egress default deny without it keeps pods from them', () => {
    const { from } = run(`${ENTRIES}apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: world, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress: [{toEntities: [world], toPorts: [{ports: [{port: "443"}]}]}]
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: cluster-only, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: gateway}}
  egress: [{toEntities: [cluster]}]
`);
    expect(from('app/client')).toEqual({ 'dns:*.models.example.org': [{ protocol: '6', ports: '443' }], 'dns:api.example.com': [{ protocol: '6', ports: '443' }], 'ip:0.0.0.0-255.255.255.255': [{ protocol: '6,17,132', ports: '443' }], 'ip:::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff': [{ protocol: '6,17,132', ports: '443' }] });
    expect(from('app/gateway')).toEqual({ 'app/client': 'All', 'app/model': 'All' });
  });

  it('refuses a selector with both matchName and matchPattern, or bad characters, with the place', () => {
    const loaded = loadText('in.yaml', `${PODS}---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: bad, namespace: app}
spec:
  endpointSelector: {}
  egress:
  - toFQDNs: [{matchName: a.example.com, matchPattern: "*.example.com"}, {matchName: "a b"}]
`);
    const model = buildMeshModel(loaded.resources);
    expect(model.errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column}`)).toEqual(['CILIUM_INVALID_FQDN 23:15', 'CILIUM_INVALID_FQDN 23:74']);
  });

  it('patterns with many "*" and long names are matched label by label, without the regex backtracking that took minutes (found by the netpol fuzz target)', () => {
    const long = 'a'.repeat(40);
    const { from } = run(`apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: long, namespace: app}
spec: {hosts: [${long}.example.com, ${long}.example.org], location: MESH_EXTERNAL}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: client-egress, namespace: app}
spec:
  endpointSelector: {matchLabels: {role: client}}
  egress:
  - toFQDNs: [{matchPattern: "${'*a'.repeat(12)}.example.com"}, {matchPattern: "${'*'.repeat(90)}z.example.org"}]
    toPorts: [{ports: [{port: "443", protocol: TCP}]}]
  - toEndpoints: [{}]
    toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchPattern: "**.${'*'.repeat(40)}.${'*'.repeat(40)}"}]}}]
`);
    // *a repeated matches the .com host (forty letters a); the .org pattern wants a z before .example.org
    expect(Object.keys(from('app/client')).filter((d) => d.startsWith('dns:'))).toEqual([`dns:${long}.example.com`]);
    const bad = buildMeshModel(loadText('in.yaml', `${PODS}---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: bad, namespace: app}\nspec:\n  endpointSelector: {}\n  egress: [{toFQDNs: [{matchName: "${'a'.repeat(40)}!"}]}]\n`).resources);
    expect(bad.errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column}`)).toEqual(['CILIUM_INVALID_FQDN 22:23']); // the entry's {, in `  egress: [{toFQDNs: [{matchName: ...}]}]`
  });
});
