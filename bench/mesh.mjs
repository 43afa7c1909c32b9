// palisade's layered (Calico + Istio) matrix on generated clusters: a Calico GlobalNetworkPolicy
// default deny, per-tenant Calico allows, and one Istio AuthorizationPolicy per 10 workloads (500 per
// 5,000, the issue-20 scenario). The baseline, measured in the same run, is the NetworkPolicy engine
// on the same workloads with the same allows written as Kubernetes NetworkPolicies.
// Prints one JSON line per size: {"bench", "size", "ms", "baselineMs", "ratio", "connections"}.
// Run after `npm run build`: node bench/mesh.mjs [workloads...]
import { performance } from 'node:perf_hooks';
import { loadText } from '../dist/core/load.js';
import { buildMeshModel, meshMatrix } from '../dist/netpol/layers/matrix.js';
import { buildModel, computeMatrix, toConnections } from '../dist/netpol/index.js';

const PER_TENANT = 20;

function deployment(ns, name, labels) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: name, containers: [{ name: 'main', image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } } };
}

function cluster(workloads) {
  const common = [];
  const calico = [{ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'default-deny' }, spec: { order: 2000, selector: 'all()', types: ['Ingress', 'Egress'] } }];
  const k8s = [];
  const istio = [];
  const tenants = Math.ceil(workloads / PER_TENANT);
  let n = 0;
  for (let t = 0; t < tenants; t++) {
    const ns = `tenant-${t}`;
    common.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (let w = 0; w < PER_TENANT && n < workloads; w++, n++) {
      common.push(deployment(ns, `svc-${w}`, { app: `svc-${w}`, role: w === 0 ? 'frontend' : 'backend' }));
      if (n % 10 === 0) istio.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `svc-${w}`, namespace: ns }, spec: { selector: { matchLabels: { app: `svc-${w}` } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/svc-0`] } }], to: [{ operation: { methods: ['POST'], paths: ['/v1/models/*'] } }] }] } });
    }
    calico.push({ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'in-tenant', namespace: ns }, spec: { order: 100, selector: 'all()', types: ['Ingress', 'Egress'], ingress: [{ action: 'Allow', protocol: 'TCP', source: { selector: "role == 'frontend'" }, destination: { ports: [8080] } }], egress: [{ action: 'Allow', protocol: 'TCP', destination: { selector: 'all()', ports: [8080] } }] } });
    k8s.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'in-tenant', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 8080 }] }], egress: [{ to: [{ podSelector: {} }], ports: [{ port: 8080 }] }] } });
  }
  const text = (docs) => docs.map((d) => JSON.stringify(d)).join('\n---\n');
  return { mesh: text([...common, ...calico, ...istio]), plain: text([...common, ...k8s]), istio: istio.length };
}

const sizes = process.argv.slice(2).map(Number);
for (const size of sizes.length ? sizes : [100, 400]) {
  const { mesh, plain, istio } = cluster(size);
  let t = performance.now();
  const loadedPlain = loadText('plain.json', plain);
  const model = buildModel(loadedPlain.resources);
  const baseline = toConnections(computeMatrix(model, loadedPlain.resources));
  const baselineMs = performance.now() - t;
  t = performance.now();
  const loaded = loadText('mesh.json', mesh);
  const meshModel = buildMeshModel(loaded.resources);
  const connections = meshMatrix(meshModel, 'deployment');
  const ms = performance.now() - t;
  if (meshModel.errors.length) throw new Error(meshModel.errors[0].message);
  console.log(JSON.stringify({ bench: 'netpol-mesh-matrix', size, istioPolicies: istio, ms: Math.round(ms), baselineMs: Math.round(baselineMs), ratio: +(ms / baselineMs).toFixed(2), connections: connections.length, baselineConnections: baseline.length, goal: '5,000 workloads in <= 3 s (issue 20)' }));
}
