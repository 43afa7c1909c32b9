// palisade's layered (Calico + Istio) matrix on generated clusters: a Calico GlobalNetworkPolicy
// default deny, per-tenant Calico allows, and one Istio AuthorizationPolicy per 10 workloads (500 per
// 5,000, the issue-20 scenario: "the matrix in <= 3 s end to end"). The baseline, measured in the same
// run, is the NetworkPolicy engine on the same workloads with the same allows written as Kubernetes
// NetworkPolicies. Each side runs in its own process (load + model + matrix, peak RSS of that
// process); `cliMs` is `palisade netpol matrix FILE --format json --resolution deployment` end to end.
// Prints one JSON line per size. Run after `npm run build`: node bench/mesh.mjs [workloads...] (default 5000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadText } from '../dist/core/load.js';
import { buildMeshModel, meshMatrix } from '../dist/netpol/layers/matrix.js';
import { buildModel, computeMatrix, toConnections } from '../dist/netpol/index.js';

const PER_TENANT = 20;

function deployment(ns, name, labels) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: name, containers: [{ name: 'main', image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } } };
}

/** The generated cluster: `mesh` (Calico + Istio) and `plain` (the same allows as NetworkPolicies) as JSON documents; bench/mesh-diff.mjs reuses it. */
export function cluster(workloads) {
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

function measure(side, size) {
  const { mesh, plain } = cluster(size);
  const t = performance.now();
  let connections;
  if (side === 'mesh') {
    const loaded = loadText('mesh.json', mesh);
    const model = buildMeshModel(loaded.resources);
    if (model.errors.length) throw new Error(model.errors[0].message);
    connections = meshMatrix(model, 'deployment').length;
  } else {
    const loaded = loadText('plain.json', plain);
    connections = toConnections(computeMatrix(buildModel(loaded.resources), loaded.resources)).length;
  }
  return { ms: performance.now() - t, rssMb: process.resourceUsage().maxRSS / 1024, connections };
}

function child(side, size) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', side, String(size)], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${side} ${size}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const main = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (!main) {
  // Imported for cluster(): run nothing.
} else if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(measure(process.argv[3], Number(process.argv[4]))));
} else {
  const sizes = process.argv.slice(2).map(Number);
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  for (const size of sizes.length ? sizes : [5000]) {
    const baseline = child('plain', size);
    const layered = child('mesh', size);
    const dir = mkdtempSync(join(tmpdir(), 'palisade-mesh-bench-'));
    const file = join(dir, 'mesh.json');
    writeFileSync(file, cluster(size).mesh);
    const t = performance.now();
    const run = spawnSync(process.execPath, [cli, 'netpol', 'matrix', file, '--format', 'json', '--resolution', 'deployment'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const cliMs = performance.now() - t;
    rmSync(dir, { recursive: true, force: true });
    if (run.status !== 0 && run.status !== 1) throw new Error(`cli exit ${run.status}: ${run.stderr}`);
    const cliConnections = JSON.parse(run.stdout).connections.length;
    const { istio } = cluster(size);
    console.log(JSON.stringify({ bench: 'netpol-mesh-matrix', size, istioPolicies: istio, ms: Math.round(layered.ms), baselineMs: Math.round(baseline.ms), ratio: +(layered.ms / baseline.ms).toFixed(2), peakRssMb: Math.round(layered.rssMb), baselineRssMb: Math.round(baseline.rssMb), cliMs: Math.round(cliMs), connections: layered.connections, cliConnections, baselineConnections: baseline.connections, goal: '5,000 workloads in <= 3 s end to end (issue 20)' }));
  }
}
