// palisade serve under load: `hey` at 500 and 1000 requests/s against /validate with a 3-container
// inference pod (PSS + every posture check in warn mode), beside a no-op node:https webhook that
// answers allowed:true, in the same run. Prints p99 of each, their ratio, errors, and RSS.
// Needs `hey` (Debian: apt-get install hey). BENCH_SERVE_SECONDS sets the duration of one round
// (default 3; the figure is 20), BENCH_SERVE_RATES the rates (default 500,1000),
// BENCH_SERVE_ROUNDS how many alternating no-op/palisade rounds each rate gets (default 3; the
// p99 reported is the median over rounds, so one noisy round does not decide the ratio).
// A third variant requires a cosign signature on every image (keyed, simple-signing layout, served
// by an in-memory registry on loopback): the verdicts are cached by digest after the first request,
// as a ReplicaSet's pods find them, so it measures the webhook's p99 with signature checks on a
// warm cache.
// On a machine with 2 or more CPUs and `taskset`, both servers run on the last CPU and hey on the
// others, as in a cluster where the API server and the webhook do not share cores; the no-op and
// palisade are placed identically, so the ratio compares the servers and not the scheduler.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeRegistry } from './_oci-fake.mjs';

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

// Signed images for the signature variant: the same pod, its images in a loopback registry by digest.
const registry = await startFakeRegistry();
const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
writeFileSync(join(dir, 'cosign.pub'), publicKey.export({ type: 'spki', format: 'pem' }));
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const empty = registry.blob(Buffer.from('{}'));
const signedPod = structuredClone(pod);
for (const c of signedPod.spec.containers) {
  const repo = `ml/${c.name}`;
  const layer = registry.blob(Buffer.from(`layer of ${c.name}`));
  const digest = registry.manifest(repo, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...empty }, layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }] });
  const payload = Buffer.from(JSON.stringify({ critical: { identity: { 'docker-reference': `${registry.host}/${repo}` }, image: { 'docker-manifest-digest': digest }, type: 'cosign container image signature' }, optional: null }));
  const signature = sign('sha256', payload, privateKey).toString('base64');
  registry.manifest(repo, { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...empty }, layers: [{ mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json', ...registry.blob(payload), annotations: { 'dev.cosignproject.cosign/signature': signature } }] }, `${digest.replace(':', '-')}.sig`);
  c.image = `${registry.host}/${repo}@${digest}`;
}
writeFileSync(join(dir, 'signed.json'), body.replace(JSON.stringify(pod), JSON.stringify(signedPod)));
writeFileSync(join(dir, 'signatures.yaml'), `admission:\n  checks:\n    "*": warn\nimages:\n  insecureIgnoreTlog: true\n  policies:\n  - name: model-servers\n    images: ["${registry.host}/ml/**"]\n    keys: [cosign.pub]\n    signatureFormat: legacy\n`);

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

// Asynchronous on purpose: the bench must keep reading the server's decision log while hey runs,
// as a container runtime does; a blocked reader would stall the server on a full pipe.
async function hey(port, rate, bodyFile = 'body.json') {
  const workers = 50;
  const [command, argv] = onCpus(clientCpus, 'hey', ['-z', `${seconds}s`, '-c', String(workers), '-q', String(rate / workers), '-m', 'POST', '-T', 'application/json', '-D', join(dir, bodyFile), '-o', 'csv', `https://127.0.0.1:${port}/validate?timeout=10s`]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  const status = await new Promise((resolve) => child.once('close', resolve));
  const run = { status, stdout: Buffer.concat(chunks).toString('utf8') };
  const rows = run.stdout.split('\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const times = rows.filter((r) => r[6] === '200').map((r) => Number(r[0])).sort((a, b) => a - b);
  const pct = (p) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 1e5) / 100 : undefined);
  return { requests: rows.length, errors: rows.length - times.length + (run.status === 0 ? 0 : 1), p50ms: pct(50), p99ms: pct(99) };
}

const serve = (config) => start([join(root, 'dist/cli/main.js'), 'serve', '--listen', '127.0.0.1:0', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--namespaces', join(dir, 'ns.yaml'), '--config', join(dir, config), '--drain-delay', '0', '--insecure-registry', registry.host, '--no-pin']);
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const sum = (runs, key) => runs.reduce((total, run) => total + run[key], 0);
const noop = await start(['-e', NOOP, dir]);
await hey(noop.port, 200);
const VARIANTS = [
  ['decision cache on', 'config.yaml', 'body.json'],
  ['no cache', 'uncached.yaml', 'body.json'],
  ['cosign signature on every image (keyed, verdicts cached by digest)', 'signatures.yaml', 'signed.json'],
];
for (const [variant, config, bodyFile] of VARIANTS) {
  const palisade = await serve(config);
  let lastLine = '';
  palisade.child.stdout.on('data', (chunk) => {
    const lines = String(chunk).trimEnd().split('\n');
    lastLine = lines[lines.length - 1] ?? lastLine;
  }); // decision logs
  await hey(palisade.port, 200, bodyFile); // warm up: JIT, TLS, heap sizing (and the signature verdicts)
  await new Promise((resolve) => setTimeout(resolve, 100)); // the last log lines
  const decision = JSON.parse(lastLine);
  if (decision.decision !== 'allow' || (decision.failures ?? []).length > 0) throw new Error(`${variant}: the warm-up request was not allowed cleanly: ${lastLine}`);
  const rssStart = rssMB(palisade.child.pid);
  for (const rate of rates) {
    const base = [];
    const ours = [];
    for (let round = 0; round < rounds; round++) {
      base.push(await hey(noop.port, rate));
      ours.push(await hey(palisade.port, rate, bodyFile));
    }
    const summary = (runs) => ({ requests: sum(runs, 'requests'), errors: sum(runs, 'errors'), p50ms: median(runs.map((r) => r.p50ms)), p99ms: median(runs.map((r) => r.p99ms)), p99msByRound: runs.map((r) => r.p99ms) });
    const p = summary(ours);
    const b = summary(base);
    emit({ rate, seconds, rounds, variant, pinned: pin ? { servers: `cpu ${serverCpu}`, hey: `cpu ${clientCpus}` } : false, input: '3-container inference pod, PSS + all checks (warn)', palisade: p, noop: b, p99Ratio: p.p99ms && b.p99ms ? Math.round((p.p99ms / b.p99ms) * 100) / 100 : undefined, rssAfterWarmupMB: rssStart, rssEndMB: rssMB(palisade.child.pid) });
  }
  palisade.child.kill('SIGTERM');
}
noop.child.kill('SIGTERM');
await registry.close();
