// palisade netpol matrix on generated multi-tenant clusters, against a naive per-pair baseline
// measured in the same run. Prints one JSON line per figure:
//   {"bench", "size", "ms", "baselineMs", "ratio", ...}
// Run after `npx tsc -p tsconfig.build.json`: node bench/netpol.mjs [workloads...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadText } from '../dist/core/load.js';
import { buildModel, computeMatrix, toConnections, formatTxt } from '../dist/netpol/index.js';
import { denseCluster } from './_netpol-dense.mjs';

/**
 * A multi-tenant cluster: tenants of 25 workloads, each tenant with a default deny, one policy
 * per 2.5 workloads letting a caller reach its service on a port, and egress to DNS and to a
 * few external CIDRs. About 0.4 policies per workload (5,000 workloads → 2,000 policies).
 */
function cluster(workloads, form = 'stream') {
  const docs = [];
  const perTenant = 25;
  const tenants = Math.ceil(workloads / perTenant);
  docs.push(deployment('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, [{ name: 'dns', containerPort: 53, protocol: 'UDP' }]));
  let policies = 0;
  for (let t = 0; t < tenants; t++) {
    const ns = `tenant-${t}`;
    docs.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { tier: t % 3 === 0 ? 'gold' : 'std' } } });
    docs.push(policy(ns, 'default-deny', {}, { policyTypes: ['Ingress', 'Egress'] }));
    docs.push(policy(ns, 'allow-dns', {}, { policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ protocol: 'UDP', port: 53 }] }] }));
    policies += 2;
    const count = Math.min(perTenant, workloads - t * perTenant);
    for (let w = 0; w < count; w++) docs.push(deployment(ns, `svc-${w}`, { app: `svc-${w}`, role: w % 5 === 0 ? 'frontend' : 'backend' }, [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }]));
    for (let w = 0; w + 1 < count && policies < Math.round(workloads * 0.4); w += 3) {
      docs.push(policy(ns, `svc-${w + 1}-in`, { matchLabels: { app: `svc-${w + 1}` } }, { ingress: [{ from: [{ podSelector: { matchLabels: { app: `svc-${w}` } } }, { namespaceSelector: { matchLabels: { tier: 'gold' } }, podSelector: { matchLabels: { role: 'frontend' } } }], ports: [{ port: 'http' }, { port: 9000, endPort: 9100 }] }] }));
      docs.push(policy(ns, `svc-${w}-out`, { matchLabels: { app: `svc-${w}` } }, { policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: `svc-${w + 1}` } } }], ports: [{ port: 8080 }] }, { to: [{ ipBlock: { cidr: `10.${t % 250}.0.0/16`, except: [`10.${t % 250}.1.0/24`] } }], ports: [{ port: 443 }] }] }));
      policies += 2;
    }
  }
  // 'stream': JSON documents between `---` lines (generated manifests); 'list': one v1 List, as
  // `kubectl get -A -o json` prints it.
  const text = form === 'list' ? JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }) : docs.map((d) => JSON.stringify(d)).join('\n---\n');
  return { text, policies };
}

function deployment(namespace, name, labels, ports) {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'example/app:1', ports }] } } } };
}

function policy(namespace, name, podSelector, spec) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector, ...spec } };
}

/** The naive baseline: every pair decided from scratch, both directions, no caches. */
function naiveMatrix(model) {
  const out = [];
  const sources = [...model.pods, ...model.sourceIps];
  const destinations = [...model.pods, ...model.destinationIps];
  for (const src of sources) for (const dst of destinations) {
    if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
    const allowed = model.engine.explain(src, dst).allowed;
    if (!allowed.isEmpty()) out.push({ src, dst, allowed });
  }
  return out;
}

function time(f) {
  const start = process.hrtime.bigint();
  const value = f();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

function run(workloads, withBaseline) {
  const { text, policies } = cluster(workloads);
  const loaded = loadText('cluster.json', text);
  const engine = time(() => {
    const model = buildModel(loaded.resources, 'np-guard');
    return { model, lines: formatTxt(toConnections(computeMatrix(model))) };
  });
  if (engine.value.model.errors.length > 0) throw new Error(engine.value.model.errors[0].format());
  const figure = { bench: 'netpol-matrix', size: workloads, policies, connections: engine.value.lines.split('\n').length - 1, ms: Math.round(engine.ms), heapMB: Math.round(process.memoryUsage().heapUsed / 2 ** 20) };
  if (withBaseline) {
    const baseline = time(() => naiveMatrix(buildModel(loaded.resources, 'np-guard')).length);
    if (baseline.value !== figure.connections) throw new Error(`baseline found ${baseline.value} connections, engine ${figure.connections}`);
    Object.assign(figure, { baselineMs: Math.round(baseline.ms), ratio: Number((baseline.ms / engine.ms).toFixed(1)) });
  }
  console.log(JSON.stringify(figure));
}

/**
 * The CLI end to end (start-up, reading the JSON, the matrix, printing it), as a user runs it; the
 * baseline is the same CLI on an empty input, so the ratio is the cost of the cluster itself.
 */
function runCli(workloads, form) {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-'));
  const file = join(dir, 'cluster.json');
  writeFileSync(file, cluster(workloads, form).text);
  const empty = join(dir, 'empty.json');
  writeFileSync(empty, '');
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  // Peak RSS of the child comes from /usr/bin/time where it is installed (GNU time prints %M in KB).
  const timeBinary = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', '%M'] : [];
  const spawn = (input) => time(() => {
    const argv = [...timeBinary, process.execPath, cli, 'netpol', 'matrix', input, '--compat', 'np-guard'];
    return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
  });
  const baseline = spawn(empty);
  const run = spawn(file);
  if (run.value.status !== 0) throw new Error(run.value.stderr);
  const peakKB = timeBinary.length > 0 ? Number(run.value.stderr.trim().split('\n').pop()) : undefined;
  console.log(JSON.stringify({ bench: 'netpol-cli-matrix', form, size: workloads, lines: run.value.stdout.split('\n').length - 1, ms: Math.round(run.ms), baselineMs: Math.round(baseline.ms), ratio: Number((run.ms / baseline.ms).toFixed(1)), peakRssMB: peakKB === undefined ? undefined : Math.round(peakKB / 1024) }));
}

/**
 * The dense input end to end: 5,000 workloads and 2,100 policies as one JSON List whose
 * selectors and ports open ~63,000 distinct pairs (bench/_netpol-dense.mjs). Goal: ≤ 2 s, ≤ 1 GB.
 * Baseline: the same CLI on a one-namespace input, interleaved; medians of 3. CPU time (user+sys from GNU
 * time) is printed too: on a machine shared by many, wall time mostly measures the others.
 */
function runDense() {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-dense-'));
  try {
    const { text, workloads, policies } = denseCluster(5000, 2100);
    const file = join(dir, 'dense.json');
    writeFileSync(file, text);
    // The baseline input: one namespace (an empty input exits 2, nothing to check).
    const empty = join(dir, 'one-namespace.json');
    writeFileSync(empty, JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } }));
    const cli = process.env.PALISADE_BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    const timed = existsSync('/usr/bin/time');
    const spawn = (input) => {
      const argv = [...(timed ? ['/usr/bin/time', '-f', '%U %S %M'] : []), process.execPath, cli, 'netpol', 'matrix', input, '--compat', 'np-guard', '--format', 'txt'];
      const start = performance.now();
      const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
      const ms = performance.now() - start;
      if (run.status !== 0) throw new Error(run.stderr.slice(-2000));
      const [user, sys, kb] = timed ? run.stderr.trim().split('\n').pop().split(' ').map(Number) : [];
      return { ms, cpuMs: timed ? (user + sys) * 1000 : undefined, rssMB: timed ? kb / 1024 : undefined, lines: run.stdout.split('\n').length - 1 };
    };
    const runs = [];
    const baselines = [];
    for (let i = 0; i < 3; i++) {
      baselines.push(spawn(empty));
      runs.push(spawn(file));
    }
    const median = (xs, key) => xs.map((x) => x[key]).sort((a, b) => a - b)[xs.length >> 1];
    const ms = median(runs, 'ms');
    const baselineMs = median(baselines, 'ms');
    console.log(JSON.stringify({ bench: 'netpol-cli-matrix-dense', size: { workloads, policies, bytes: text.length }, lines: runs[0].lines, ms: Math.round(ms), baselineMs: Math.round(baselineMs), ratio: Number((ms / baselineMs).toFixed(1)), cpuMs: timed ? Math.round(median(runs, 'cpuMs')) : undefined, baselineCpuMs: timed ? Math.round(median(baselines, 'cpuMs')) : undefined, peakRssMB: timed ? Math.round(Math.max(...runs.map((r) => r.rssMB))) : undefined, goal: { ms: 2000, rssMB: 1024 }, load1: Number(loadavg()[0].toFixed(1)) }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `node bench/netpol.mjs dense`: the dense figure alone.
if (process.argv[2] === 'dense') {
  runDense();
  process.exit(0);
}
runDense();
const sizes = process.argv.slice(2).map(Number);
// The baseline is quadratic with a large constant: it runs where it finishes in seconds.
run(500, true);
for (const size of sizes.length > 0 ? sizes : [1000, 5000, 20000]) run(size, size <= 1000);
// The figure: 5,000 workloads, end to end, ≤ 2 s and ≤ 1 GB; and how it grows.
for (const size of [1000, 5000, 20000]) runCli(size, 'stream');
runCli(5000, 'list');
