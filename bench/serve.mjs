// palisade serve under load: `hey` at 500 and 1000 requests/s against /validate with a 3-container
// inference pod (PSS + every posture check in warn mode), beside a no-op node:https webhook that
// answers allowed:true, in the same run, with the same certificate, keep-alive settings and Node
// flags (none). For each variant and rate it prints p50 and p99 of both, the p99 ratio, errors,
// each server's CPU time per request (user+system from /proc: steadier than latency on a busy
// machine), the decision cache's hits and misses, palisade's RSS at start and end (and the no-op's over
// the same rate's rounds: a Node server's heap grows under load too), the rate each server achieved,
// each one's peak accept queue (see acceptQueue: near 511, the server was saturated and its p99
// is that of overload, not of its cost per request), and the connections each accepted per request
// and the TLS handshakes each completed (see connectionCounts: hey abandons most of its dials),
// and each one's garbage collection over the rate's rounds (both run with --trace-gc: the number
// of mark-compacts, their median and longest pause, and the number of scavenges).
//
// Variants (BENCH_SERVE_VARIANTS, comma list, default all):
//   warm    the decision cache on and hey's identical bodies: every request after the first is a
//           cache hit, as a ReplicaSet's replicas are (they differ only in generated name, uid and
//           timestamps, which the key leaves out; see AdmissionEngine.decisionKey)
//   cold    the decision cache off (cacheTtlSeconds: 0): every request judged from scratch
//   unique  the cache on, but every body differs (a pod label and the uid carry a sequence
//           number), so the cache cannot help; hey repeats one body, so this variant uses
//           bench/_paced-load.mjs, paced like hey (-c 50 -q rate/50), for both servers
//           (the warm-up, 3000 requests at 1000/s, fills the cache to its bound, 2000 entries of
//           ~3 KB as the bound counts them, within the 10 MiB byte bound: decisionCache.entriesEnd and
//           bytesEnd, from /metrics, show what it holds; rssStartMB is read after the warm-up,
//           repeated until the cache is full, so rssEndMB − rssStartMB is what sustained unique
//           load adds on top of a full cache; RSS is also sampled every 500 ms during the rounds,
//           and the peaks of their first and second halves reported, since two readings of a
//           garbage-collected heap are two points of a sawtooth)
//   signed  a cosign signature required on every image (keyed, simple-signing layout, served by
//           an in-memory registry on loopback); verdicts cached by digest after the first request
// Knobs: BENCH_SERVE_SECONDS (one round; default 3, the figure is 20), BENCH_SERVE_RATES
// (default 500,1000), BENCH_SERVE_ROUNDS (alternating no-op/palisade rounds per rate, default 3;
// p50/p99 reported are medians over rounds, with every round's p99 listed), BENCH_SERVE_WARMUP_SECONDS
// (each server's warm-up at the highest rate before RSS is first read; default 3).
// Needs `hey` (Debian: apt-get install hey).
// On a machine with 2 or more CPUs and `taskset`, both servers run on the last CPU and the load
// generator on the others, as in a cluster where the API server and the webhook do not share
// cores; the no-op and palisade are placed identically, so the ratio compares the servers and not
// the scheduler.
import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeRegistry } from './_oci-fake.mjs';
import { body, NAMESPACE_YAML, noopHandler, pod, uniqueBody } from './_serve-pod.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.env.BENCH_SERVE_SECONDS ?? 3);
const rates = (process.env.BENCH_SERVE_RATES ?? '500,1000').split(',').map(Number);
const rounds = Math.max(1, Number(process.env.BENCH_SERVE_ROUNDS ?? 3));
const warmupSeconds = Number(process.env.BENCH_SERVE_WARMUP_SECONDS ?? 3);
const variants = new Set((process.env.BENCH_SERVE_VARIANTS ?? 'warm,cold,unique,signed').split(',').map((v) => v.trim()));
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
const { DECISION_CACHE_ENTRIES } = await import(join(root, 'dist/admission/engine.js'));
const dir = mkdtempSync(join(tmpdir(), 'bench-serve-'));
const { ca, serving } = createServingPair(['localhost'], 2, ['127.0.0.1']);
writeFileSync(join(dir, 'ca.crt'), ca.certPem);
writeFileSync(join(dir, 'tls.crt'), serving.certPem);
writeFileSync(join(dir, 'tls.key'), serving.keyPem);
writeFileSync(join(dir, 'ns.yaml'), NAMESPACE_YAML);
writeFileSync(join(dir, 'config.yaml'), 'admission:\n  checks:\n    "*": warn\n');
// The same with every cache off: each request is judged from scratch (the decision cache would
// otherwise answer hey's identical bodies, as it does a ReplicaSet's identical pods).
writeFileSync(join(dir, 'uncached.yaml'), 'admission:\n  cacheTtlSeconds: 0\n  checks:\n    "*": warn\n');

writeFileSync(join(dir, 'body.json'), body);
writeFileSync(join(dir, 'unique.json'), uniqueBody);

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
const handler = ${noopHandler.toString()};
// Connections accepted and TLS handshakes completed, answered to a GET (hey only POSTs), as
// palisade's /metrics counts them.
const counts = { connections: 0, handshakes: 0 };
const s = createServer({ cert: readFileSync(process.argv[1] + '/tls.crt'), key: readFileSync(process.argv[1] + '/tls.key') }, (req, res) => (req.method === 'GET' ? res.end(JSON.stringify(counts)) : handler(req, res)));
s.keepAliveTimeout = 30000; // as AdmissionServer
s.headersTimeout = 35000;
s.on('connection', () => counts.connections++);
s.on('secureConnection', () => counts.handshakes++);
s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: s.address().port })));
`;

/**
 * Both servers run with --trace-gc (the same flags for both): each mark-compact's pause, read from
 * their stdout, is reported per rate (a mark-compact marks the whole live heap, and palisade's is
 * larger than the no-op's: see docs/serve.md). `gc.markCompactMs` collects the pauses.
 */
function start(args) {
  const [command, argv] = onCpus(serverCpu, process.execPath, ['--trace-gc', ...args]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const gc = { markCompactMs: [], scavenges: 0 };
  let partial = '';
  child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('[')) continue;
      const pause = /(Mark-Compact|Scavenge)[^,]*, (?:pooled: [\d.]+ MB, )?([\d.]+) \/ [\d.]+ ms/.exec(line);
      if (pause?.[1] === 'Mark-Compact') gc.markCompactMs.push(Number(pause[2]));
      else if (pause) gc.scavenges++;
    }
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const listening = (chunk) => {
      out += chunk;
      const match = /"msg":"listening".*?"port":(\d+)/.exec(out);
      if (match) {
        child.stdout.off('data', listening);
        resolve({ child, port: Number(match[1]), gc });
      }
    };
    child.stdout.on('data', listening);
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

/** Mark-compact pauses and scavenges of a server since `from` (a copy of its gc counters). */
const gcSince = (server, from) => {
  const pauses = server.gc.markCompactMs.slice(from.markCompacts);
  const sorted = [...pauses].sort((a, b) => a - b);
  return { markCompacts: pauses.length, markCompactMedianMs: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined, markCompactMaxMs: sorted.length ? sorted[sorted.length - 1] : undefined, scavenges: server.gc.scavenges - from.scavenges };
};
const gcMark = (server) => ({ markCompacts: server.gc.markCompactMs.length, scavenges: server.gc.scavenges });

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;
/** User + system CPU seconds of a process so far (all its threads: GC and libuv included). */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
};
const rssMB = (pid) => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 102.4) / 10 : undefined;
};

/**
 * Connections waiting in a listening socket's accept queue (/proc/net/tcp, the LISTEN row's rx_queue).
 * A server that falls behind hey fills it (the kernel's bound is 511): hey's Go client abandons the
 * dials it no longer needs and they wait there in CLOSE-WAIT until accepted, each then costing a TLS
 * socket. A peak near 511 means the server was saturated and its p99 and RSS are those of overload.
 */
const acceptQueue = (port) => {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[1]?.endsWith(`:${hex}`) && f[3] === '0A') return parseInt(f[4].split(':')[1], 16);
    }
  }
  return undefined;
};

// Asynchronous on purpose: the bench must keep reading the server's decision log while hey runs,
// as a container runtime does; a blocked reader would stall the server on a full pipe.
async function hey(port, rate, bodyFile = 'body.json', duration = seconds) {
  const workers = 50;
  if (bodyFile === 'unique.json') return paced(port, rate, workers, duration);
  const [command, argv] = onCpus(clientCpus, 'hey', ['-z', `${duration}s`, '-c', String(workers), '-q', String(rate / workers), '-m', 'POST', '-T', 'application/json', '-D', join(dir, bodyFile), '-o', 'csv', `https://127.0.0.1:${port}/validate?timeout=10s`]);
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

async function paced(port, rate, workers, duration) {
  const [command, argv] = onCpus(clientCpus, process.execPath, [join(root, 'bench/_paced-load.mjs'), String(port), String(duration), String(rate), String(workers), join(dir, 'unique.json'), join(dir, 'ca.crt')]);
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'inherit'] });
  const chunks = [];
  child.stdout.on('data', (chunk) => chunks.push(chunk));
  const status = await new Promise((resolve) => child.once('close', resolve));
  const result = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  return { ...result, errors: result.errors + (status === 0 ? 0 : 1) };
}

/** One measured round: the load, and the server's CPU time over it. */
async function measure(server, rate, bodyFile) {
  const before = cpuSeconds(server.child.pid);
  const run = await hey(server.port, rate, bodyFile);
  const cpu = cpuSeconds(server.child.pid) - before;
  return { ...run, cpuUsPerRequest: run.requests ? Math.round((cpu / run.requests) * 1e6) : undefined };
}

/** GET a path of a server under test: its text. */
function scrape(port, path) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca: ca.certPem, servername: 'localhost', agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The decision cache's counters from /metrics. */
async function decisionCache(port) {
  const text = await scrape(port, '/metrics');
  const read = (name) => Number(new RegExp(`^palisade_admission_cache_${name}\\{cache="decision"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { hits: read('hits_total'), misses: read('misses_total'), entries: read('entries'), bytes: read('bytes') };
}

/**
 * Connections a server accepted and TLS handshakes it completed so far (palisade: /metrics; the
 * no-op: any GET). hey's Go client (Go 1.19 in Debian's package) dials a new connection whenever a
 * request finds none idle and abandons the dial, mid-handshake, once another connection is free
 * (golang/go#59017, fixed in Go 1.23): each costs the server the handshake work done by then.
 */
async function connectionCounts(server, isNoop) {
  const text = await scrape(server.port, isNoop ? '/' : '/metrics');
  if (isNoop) return JSON.parse(text);
  const read = (name) => Number(new RegExp(`^palisade_admission_${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { connections: read('connections_total'), handshakes: read('tls_handshakes_total') };
}

const serve = (config) => start([join(root, 'dist/cli/main.js'), 'serve', '--listen', '127.0.0.1:0', '--tls-cert', join(dir, 'tls.crt'), '--tls-key', join(dir, 'tls.key'), '--namespaces', join(dir, 'ns.yaml'), '--config', join(dir, config), '--drain-delay', '0', '--insecure-registry', registry.host, '--no-pin']);
const median = (values) => {
  const sorted = values.filter((v) => v !== undefined).sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined;
};
const sum = (runs, key) => runs.reduce((total, run) => total + run[key], 0);
const ratio = (a, b) => (a !== undefined && b ? Math.round((a / b) * 100) / 100 : undefined);
const noop = await start(['-e', NOOP, dir]);
await hey(noop.port, Math.max(...rates), 'body.json', warmupSeconds);
const VARIANTS = [
  ['warm', 'decision cache on, identical bodies (hey)', 'config.yaml', 'body.json'],
  ['cold', 'decision cache off (hey)', 'uncached.yaml', 'body.json'],
  ['unique', 'decision cache on, a different pod on every request (paced like hey: bench/_paced-load.mjs)', 'config.yaml', 'unique.json'],
  ['signed', 'cosign signature on every image (keyed, verdicts cached by digest; hey)', 'signatures.yaml', 'signed.json'],
].filter(([name]) => variants.has(name));
try {
  for (const [name, variant, config, bodyFile] of VARIANTS) {
    const palisade = await serve(config);
    // The decision log is read as a container runtime reads it (a reader that stops would stall
    // the server on a full pipe), but not parsed: only its tail is kept, for the check below.
    let tail = '';
    palisade.child.stdout.on('data', (chunk) => (tail = (tail + chunk).slice(-16384)));
    // Warm up at the highest rate: JIT, TLS sessions, heap sizing (and the signature verdicts), so
    // the RSS measured next is the steady state and "end" can be compared with it.
    await hey(palisade.port, Math.max(...rates), bodyFile, warmupSeconds);
    if (bodyFile === 'unique.json') {
      await hey(noop.port, Math.max(...rates), bodyFile, warmupSeconds); // the no-op meets the paced client too
      // On a busy machine the warm-up may not reach 2000 distinct pods: go on until the cache is
      // full, so the RSS read next is that of a full cache (at most 5 more warm-ups).
      for (let more = 0; more < 5 && (await decisionCache(palisade.port)).entries < DECISION_CACHE_ENTRIES; more++) await hey(palisade.port, Math.max(...rates), bodyFile, warmupSeconds);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // the last log lines
    const lines = tail.trimEnd().split('\n').filter((line) => line.startsWith('{')); // not --trace-gc's lines
    const lastLine = lines[lines.length - 1] ?? '';
    const decision = JSON.parse(lastLine);
    if (decision.decision !== 'allow' || (decision.failures ?? []).length > 0) throw new Error(`${variant}: the warm-up request was not allowed cleanly: ${lastLine}`);
    const rssStart = rssMB(palisade.child.pid);
    for (const rate of rates) {
      const base = [];
      const ours = [];
      const cacheBefore = await decisionCache(palisade.port);
      const dialsBefore = { palisade: await connectionCounts(palisade, false), noop: await connectionCounts(noop, true) };
      // RSS every 500 ms while the rounds run: a start and an end reading alone are two samples
      // of the garbage collector's sawtooth, not a trend.
      const rssSamples = [];
      const queues = { palisade: [], noop: [] };
      const noopRssStart = rssMB(noop.child.pid);
      const gcBefore = { palisade: gcMark(palisade), noop: gcMark(noop) };
      const sampler = setInterval(() => {
        rssSamples.push(rssMB(palisade.child.pid));
        queues.palisade.push(acceptQueue(palisade.port) ?? 0);
        queues.noop.push(acceptQueue(noop.port) ?? 0);
      }, 500);
      for (let round = 0; round < rounds; round++) {
        base.push(await measure(noop, rate, bodyFile));
        ours.push(await measure(palisade, rate, bodyFile));
      }
      clearInterval(sampler);
      const cacheAfter = await decisionCache(palisade.port);
      const dialsAfter = { palisade: await connectionCounts(palisade, false), noop: await connectionCounts(noop, true) };
      // Connections accepted and handshakes completed per request over this rate's rounds.
      const dials = (who, requests) => ({ connectionsPerRequest: Math.round(((dialsAfter[who].connections - dialsBefore[who].connections) / requests) * 100) / 100, handshakes: dialsAfter[who].handshakes - dialsBefore[who].handshakes });
      const half = Math.floor(rssSamples.length / 2);
      const summary = (runs) => ({ requests: sum(runs, 'requests'), achievedRate: Math.round(sum(runs, 'requests') / (seconds * runs.length)), errors: sum(runs, 'errors'), p50ms: median(runs.map((r) => r.p50ms)), p99ms: median(runs.map((r) => r.p99ms)), p99msByRound: runs.map((r) => r.p99ms), cpuUsPerRequest: median(runs.map((r) => r.cpuUsPerRequest)) });
      const p = summary(ours);
      const b = summary(base);
      const hits = cacheAfter.hits - cacheBefore.hits;
      const misses = cacheAfter.misses - cacheBefore.misses;
      emit({
        variant: name,
        rate,
        seconds,
        rounds,
        about: variant,
        pinned: pin ? { servers: `cpu ${serverCpu}`, load: `cpu ${clientCpus}` } : false,
        input: '3-container inference pod, PSS + all checks (warn)',
        palisade: { ...p, acceptQueuePeak: Math.max(0, ...queues.palisade), ...dials('palisade', p.requests), gc: gcSince(palisade, gcBefore.palisade) },
        noop: { ...b, acceptQueuePeak: Math.max(0, ...queues.noop), ...dials('noop', b.requests), gc: gcSince(noop, gcBefore.noop), rssStartMB: noopRssStart, rssEndMB: rssMB(noop.child.pid) },
        p99Ratio: ratio(p.p99ms, b.p99ms),
        p99RatioByRound: ours.map((r, i) => ratio(r.p99ms, base[i].p99ms)),
        p50Ratio: ratio(p.p50ms, b.p50ms),
        cpuRatio: ratio(p.cpuUsPerRequest, b.cpuUsPerRequest),
        decisionCache: { hits, misses, hitRate: hits + misses > 0 ? Math.round((hits / (hits + misses)) * 1000) / 1000 : null, entriesEnd: cacheAfter.entries, bytesEnd: cacheAfter.bytes },
        rssStartMB: rssStart,
        rssEndMB: rssMB(palisade.child.pid),
        // Peak RSS in the first and the second half of the rounds (palisade's rounds and the
        // no-op's alternate): growth shows as a second-half peak above the first's.
        rssPeakFirstHalfMB: rssSamples.length > 1 ? Math.max(...rssSamples.slice(0, half)) : undefined,
        rssPeakSecondHalfMB: rssSamples.length > 1 ? Math.max(...rssSamples.slice(half)) : undefined,
      });
    }
    palisade.child.kill('SIGTERM');
    await new Promise((resolve) => palisade.child.once('exit', resolve));
  }
} finally {
  noop.child.kill('SIGTERM');
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
}
