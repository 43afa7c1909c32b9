// palisade serve under load: `hey` at 500 and 1000 requests/s against /validate with a 3-container
// inference pod (PSS + every posture check in warn mode), beside a no-op node:https webhook that
// answers allowed:true, in the same run. Prints p99 of each, their ratio, errors, and RSS.
// Needs `hey` (Debian: apt-get install hey). BENCH_SERVE_SECONDS sets the duration of one round
// (default 3; the figure is 20), BENCH_SERVE_RATES the rates (default 500,1000),
// BENCH_SERVE_ROUNDS how many alternating no-op/palisade rounds each rate gets (default 3; the
// p99 reported is the median over rounds, so one noisy round does not decide the ratio).
// On a machine with 2 or more CPUs and `taskset`, both servers run on the last CPU and hey on the
// others, as in a cluster where the API server and the webhook do not share cores; the no-op and
// palisade are placed identically, so the ratio compares the servers and not the scheduler.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SERVE_SECONDS ?? 3);
const rates = (process.env.BENCH_SERVE_RATES ?? '500,1000').split(',').map(Number);
const rounds = Math.max(1, Number(process.env.BENCH_SERVE_ROUNDS ?? 3));
const emit = (o) => console.log(JSON.stringify({ bench: 'serve', ...o }));

const cpus = availableParallelism();
const pin = cpus >= 2 && !spawnSync('taskset', ['-c', '0', 'true']).error && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const serverCpu = String(cpus - 1);
const clientCpus = cpus === 2 ? '0' : `0-${cpus - 2}`;
const onCpus = (cpuList, command, args) => (pin ? ['taskset', ['-c', cpuList, command, ...args]] : [command, args]);

if (spawnSync('hey', ['-h']).error) {
  emit({ skipped: 'hey is not installed (Debian: apt-get install hey); nothing measured' });
  process.exit(0);
}

const { createServingPair } = await import(join(root, 'dist/admission/x509.js'));
const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const { serving } = createServingPair(['localhost'], 2, ['127.0.0.1']);
writeFileSync(join(dir, 'tls.crt'), serving.certPem);
writeFileSync(join(dir, 'tls.key'), serving.keyPem);
writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml-serving\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n    pod-security.kubernetes.io/warn: restricted\n    pod-security.kubernetes.io/audit: restricted\n');
writeFileSync(join(dir, 'config.yaml'), 'admission:\n  checks:\n    "*": warn\n');
// The same with every cache off: each request is judged from scratch (the decision cache would
// otherwise answer hey's identical bodies, as it does a ReplicaSet's identical pods).
writeFileSync(join(dir, 'uncached.yaml'), 'admission:\n  cacheTtlSeconds: 0\n  checks:\n    "*": warn\n');

const container = (name, image, port) => ({
  name,
  image,
  ports: [{ containerPort: port }],
  resources: { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } },
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
  readinessProbe: { httpGet: { path: '/v2/health/ready', port } },
});
const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { generateName: 'triton-predictor-', namespace: 'ml-serving', labels: { app: 'triton' } },
  spec: {
    serviceAccountName: 'triton',
    containers: [
      container('kserve-container', 'nvcr.io/nvidia/tritonserver:24.05-py3', 8000),
      container('queue-proxy', 'gcr.io/knative-releases/knative.dev/serving/cmd/queue@sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246', 8012),
      container('metrics', 'registry.example.com/ml/metrics-exporter:1.4.2', 9400),
    ],
  },
};
const body = JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request: { uid: 'bench', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'ml-serving', operation: 'CREATE', userInfo: { username: 'system:serviceaccount:kube-system:replicaset-controller' }, object: pod, oldObject: null, dryRun: false } });
writeFileSync(join(dir, 'body.json'), body);

const NOOP = `
const { createServer } = require('node:https');
const { readFileSync } = require('node:fs');
const s = createServer({ cert: readFileSync(process.argv[1] + '/tls.crt'), key: readFileSync(process.argv[1] + '/tls.key') }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const review = JSON.parse(Buffer.concat(chunks).toString());
    const out = JSON.stringify({ apiVersion: review.apiVersion, kind: 'AdmissionReview', response: { uid: review.request.uid, allowed: true } });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
    res.end(out);
  });
});
s.keepAliveTimeout = 30000;
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: s.address().port })));
`;

function start(args) {
  const [command, argv] = onCpus(serverCpu, process.execPath, args);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (match) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

const rssMB = (pid) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : undefined;
};

function hey(port, rate) {
  const workers = 50;
  const [command, argv] = onCpus(clientCpus, 'hey', ['-z', `${seconds}s`, '-c', String(workers), '-q', String(rate / workers), '-m', 'POST', '-T', 'application/json', '-D', join(dir, 'body.json'), '-o', 'csv', `https://127.0.0.1:${port}/validate?timeout=10s`]);
  const run = spawnSync(command, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const rows = run.stdout.split('\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const times = rows.filter((r) => r[6] === '200').map((r) => Number(r[0])).sort((a, b) => a - b);
  const pct = (p) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 1e5) / 100 : undefined);
  return { requests: rows.length, errors: rows.length - times.length + (run.status === 0 ? 0 : 1), p50ms: pct(50), p99ms: pct(99) };
}

const serve = (config) => start([join(root, 'dist/cli/main.js'), 'serve', '--listen', '127.0.0.1:0', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--namespaces', join(dir, 'ns.yaml'), '--config', join(dir, config), '--drain-delay', '0']);
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const sum = (runs, key) => runs.reduce((total, run) => total + run[key], 0);
const noop = await start(['-e', NOOP, dir]);
hey(noop.port, 200);
for (const [variant, config] of [['decision cache on', 'config.yaml'], ['no cache', 'uncached.yaml']]) {
  const palisade = await serve(config);
  palisade.child.stdout.on('data', () => undefined); // decision logs
  hey(palisade.port, 200); // warm up: JIT, TLS, heap sizing
  const rssStart = rssMB(palisade.child.pid);
  for (const rate of rates) {
    const base = [];
    const ours = [];
    for (let round = 0; round < rounds; round++) {
      base.push(hey(noop.port, rate));
      ours.push(hey(palisade.port, rate));
    }
    const summary = (runs) => ({ requests: sum(runs, 'requests'), errors: sum(runs, 'errors'), p50ms: median(runs.map((r) => r.p50ms)), p99ms: median(runs.map((r) => r.p99ms)), p99msByRound: runs.map((r) => r.p99ms) });
    const p = summary(ours);
    const b = summary(base);
    emit({ rate, seconds, rounds, variant, pinned: pin ? { servers: `cpu ${serverCpu}`, hey: `cpu ${clientCpus}` } : false, input: '3-container inference pod, PSS + all checks (warn)', palisade: p, noop: b, p99Ratio: p.p99ms && b.p99ms ? Math.round((p.p99ms / b.p99ms) * 100) / 100 : undefined, rssAfterWarmupMB: rssStart, rssEndMB: rssMB(palisade.child.pid) });
  }
  palisade.child.kill('SIGTERM');
}
noop.child.kill('SIGTERM');
