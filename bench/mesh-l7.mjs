// The layered matrix under many mixed L7 patterns (issue 20, hostile or merely large input): N Istio
// AuthorizationPolicies, each on its own workload, each allowing a few paths that mix exact, prefix
// (`/api/vK/*`), suffix (`*.jsonK`), path templates (`/v1/{*}/mK/{**}`) and, on a Cilium variant, Cilium
// http path regexes (`/api/vK/.*`, `.*\.jsonK`). The baseline, measured in the same run, is the same
// cluster with every path exact (the same number of patterns, no prefix, suffix or template). Each
// measure runs in its own process (load + model + matrix); `ratio` is mixed / exact. One JSON line per
// size and variant. Run after `npm run build`: node bench/mesh-l7.mjs [policies...] (default 50 100 200 400)
// Another build's dist: PALISADE_DIST=/path/to/dist node bench/mesh-l7.mjs ...
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKLOADS = 20;

function deployment(ns, name) {
  const labels = { app: name };
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { serviceAccountName: name, containers: [{ name: 'main', image: 'example/app:1', ports: [{ name: 'http', containerPort: 8080 }] }] } } } };
}

/** The paths of policy k: mixed kinds, or the same count of exact paths. */
function pathsOf(k, mixed, cilium) {
  if (!mixed) return [`/api/v${k}/x`, `/data/${k}.json`, `/v1/models/m${k}:predict`, `/v1/s/m${k}/t`];
  if (cilium) return [`/api/v${k}/.*`, `.*\\.json${k}`, `/v1/models/m${k}:predict`, `/v1/.*/m${k}`];
  return [`/api/v${k}/*`, `*.json${k}`, `/v1/models/m${k}:predict`, `/v1/{*}/m${k}/{**}`];
}

/** The generated cluster's documents: `policies` L7 policies over WORKLOADS workloads in one namespace. */
export function l7Cluster(policies, { mixed = true, cilium = false } = {}) {
  const ns = 'serving';
  const docs = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }];
  for (let w = 0; w < WORKLOADS; w++) docs.push(deployment(ns, `svc-${w}`));
  for (let k = 0; k < policies; k++) {
    const app = `svc-${k % WORKLOADS}`;
    const caller = `svc-${(k + 1) % WORKLOADS}`;
    const paths = pathsOf(k, mixed, cilium);
    if (cilium) {
      docs.push({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: `l7-${k}`, namespace: ns }, spec: { endpointSelector: { matchLabels: { app } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: caller } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: paths.map((path, i) => ({ method: i % 2 ? 'GET' : 'POST', path })) } }] }] } });
    } else {
      docs.push({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: `l7-${k}`, namespace: ns }, spec: { selector: { matchLabels: { app } }, rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns}/sa/${caller}`] } }], to: [{ operation: { methods: ['GET', 'POST'], paths } }] }] } });
    }
  }
  return docs.map((d) => JSON.stringify(d)).join('\n---\n');
}

async function measure(policies, mixed, cilium) {
  const dist = process.env.PALISADE_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));
  const { loadText } = await import(pathToFileURL(`${dist}/core/load.js`).href);
  const { buildMeshModel, meshMatrix } = await import(pathToFileURL(`${dist}/netpol/layers/matrix.js`).href);
  const text = l7Cluster(policies, { mixed, cilium });
  const t = performance.now();
  const model = buildMeshModel(loadText('l7.json', text).resources, {}, { shardL7: true });
  if (model.errors.length) throw new Error(model.errors[0].message);
  const connections = meshMatrix(model, 'deployment');
  const ms = performance.now() - t;
  const entries = connections.reduce((n, c) => n + (c.conns === 'All' ? 1 : c.conns.length), 0);
  return { ms, pathClasses: model.paths.size, connections: connections.length, entries, rssMb: process.resourceUsage().maxRSS / 1024 };
}

function child(policies, mixed, cilium) {
  const args = [fileURLToPath(import.meta.url), '--child', String(policies), mixed ? 'mixed' : 'exact', cilium ? 'cilium' : 'istio'];
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, timeout: Number(process.env.BENCH_TIMEOUT_MS ?? 600_000) });
  if (run.error) return { error: String(run.error.code ?? run.error) };
  if (run.status !== 0) throw new Error(`${args.join(' ')}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

const main = import.meta.url === pathToFileURL(process.argv[1] ?? '').href;
if (!main) {
  // Imported for l7Cluster(): run nothing.
} else if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(await measure(Number(process.argv[3]), process.argv[4] === 'mixed', process.argv[5] === 'cilium')));
} else {
  const sizes = process.argv.slice(2).map(Number);
  for (const cilium of [false, true]) {
    for (const size of sizes.length ? sizes : [50, 100, 200, 400]) {
      const exact = child(size, false, cilium);
      const mixed = child(size, true, cilium);
      const out = { bench: 'netpol-mesh-l7', layer: cilium ? 'cilium' : 'istio', policies: size, ms: mixed.ms && Math.round(mixed.ms), exactMs: exact.ms && Math.round(exact.ms), ratio: mixed.ms && exact.ms ? +(mixed.ms / exact.ms).toFixed(2) : undefined, pathClasses: mixed.pathClasses, exactPathClasses: exact.pathClasses, entries: mixed.entries, peakRssMb: mixed.rssMb && Math.round(mixed.rssMb), error: mixed.error ?? exact.error };
      console.log(JSON.stringify(out));
    }
  }
}
