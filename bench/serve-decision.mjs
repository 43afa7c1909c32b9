// palisade serve's CPU per request without TLS and HTTP: the server's own request path (route,
// read the body, parse the review, decide, write the answer, metrics, the decision log line)
// driven in-process with stand-in request and response objects, for the bench/serve.mjs pod,
// beside a baseline measured in the same run: bench/serve.mjs's no-op webhook's handler with the
// same body and the same stand-ins (read the body, JSON.parse, JSON.stringify of an allowed:true
// answer). The figures are CPU time
// (process.cpuUsage: GC threads included) per request, median over alternating rounds, and the
// ratio to the baseline; on a shared machine the ratio is steadier than either figure.
//
// Variants: warm (decision cache on, the same body: every request after the first is a hit),
// cold (cache off: every request judged from scratch), unique (cache on, a pod label and the uid
// differ on every request: a miss, a decision and an insertion each time, the cache full).
// Knobs: BENCH_DECISION_REQUESTS (per round, default 4000), BENCH_DECISION_ROUNDS (default 7),
// BENCH_DECISION_VARIANTS (comma list, default warm,cold,unique), BENCH_DECISION_PROFILE=1 (no
// baseline rounds; for `node --cpu-prof`).
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { body, NAMESPACE_YAML, noopHandler, uniqueBody } from './_serve-pod.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { loadConfig } = await import(join(root, 'dist/core/config.js'));
const { load } = await import(join(root, 'dist/core/load.js'));
const { admissionSettings, AdmissionEngine, AdmissionServer, StaticNamespaces } = await import(join(root, 'dist/admission/index.js'));
const { batchedJsonLines } = await import(join(root, 'dist/cli/lines.js'));
const { createServingPair } = await import(join(root, 'dist/admission/x509.js'));

const perRound = Number(process.env.BENCH_DECISION_REQUESTS ?? 4000);
const rounds = Number(process.env.BENCH_DECISION_ROUNDS ?? 7);
const variants = (process.env.BENCH_DECISION_VARIANTS ?? 'warm,cold,unique').split(',').map((v) => v.trim());
const profile = process.env.BENCH_DECISION_PROFILE === '1';
const emit = (o) => console.log(JSON.stringify({ bench: 'serve-decision', ...o }));

const dir = mkdtempSync(join(tmpdir(), 'bench-decision-'));
const { serving } = createServingPair(['localhost'], 1, ['127.0.0.1']);
writeFileSync(join(dir, 'tls.crt'), serving.certPem);
writeFileSync(join(dir, 'tls.key'), serving.keyPem);
writeFileSync(join(dir, 'ns.yaml'), NAMESPACE_YAML);
writeFileSync(join(dir, 'cached.yaml'), 'admission:\n  checks:\n    "*": warn\n');
writeFileSync(join(dir, 'uncached.yaml'), 'admission:\n  cacheTtlSeconds: 0\n  checks:\n    "*": warn\n');

/** A server as `palisade serve` builds one (no registry, no verifier), its log lines written nowhere. */
async function server(configFile) {
  const config = await loadConfig(join(dir, configFile), [], dir);
  const settings = admissionSettings(config);
  settings.images.pin = false;
  const loaded = await load([join(dir, 'ns.yaml')]);
  const namespaces = StaticNamespaces.fromObjects(loaded.resources.map((r) => r.object));
  const engine = new AdmissionEngine({ settings, namespaces, config });
  let logged = 0;
  const log = batchedJsonLines((text) => (logged += text.length));
  return new AdmissionServer({ engine, tls: { certFile: join(dir, 'tls.crt'), keyFile: join(dir, 'tls.key') }, log, ...(log.line ? { logLine: log.line } : {}), drainDelayMs: 0 });
}

/** One POST /validate through a request handler, with stand-ins for Node's request and response; resolves with the answer's text. */
function post(handler, text) {
  return new Promise((resolve, reject) => {
    const req = new EventEmitter();
    req.method = 'POST';
    req.url = '/validate?timeout=10s';
    const res = {
      setHeader() {},
      writeHead(code) {
        if (code !== 200) reject(new Error(`status ${code}`));
      },
      end: resolve,
      destroy() {},
    };
    handler(req, res);
    req.emit('data', Buffer.from(text));
    req.emit('end');
  });
}

const noop = (text) => post(noopHandler, text);

let seq = 0;
const [uniqueHead, ...uniqueRest] = uniqueBody.split('__SEQ__');
const nextUnique = () => {
  const n = String(seq++);
  return uniqueHead + uniqueRest.map((part) => n + part).join('');
};

/** A turn of the event loop, as a server gets between requests (the decision log is written then). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** CPU µs per request over one round of `perRound` requests, one after the other, each in its own turn. */
async function round(handle, bodyOf) {
  const start = process.cpuUsage();
  for (let i = 0; i < perRound; i++) {
    await handle(bodyOf());
    await nextTurn();
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / perRound;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
const round1 = (x) => Math.round(x * 10) / 10;

try {
  for (const variant of variants) {
    const target = await server(variant === 'cold' ? 'uncached.yaml' : 'cached.yaml');
    const bodyOf = variant === 'unique' ? nextUnique : () => body;
    const palisade = (text) => post((req, res) => target.handle(req, res), text);
    const answer = await palisade(bodyOf());
    if (!answer.includes('"allowed":true')) throw new Error(`${variant}: the request was not allowed: ${answer}`);
    // Warm-up: JIT, and for unique a full decision cache.
    for (let i = 0; i < (variant === 'unique' ? 2500 : 1000); i++) {
      await palisade(bodyOf());
      await nextTurn();
    }
    const ours = [];
    const base = [];
    for (let r = 0; r < rounds; r++) {
      if (!profile) base.push(await round(noop, bodyOf));
      ours.push(await round(palisade, bodyOf));
    }
    const p = median(ours);
    const b = profile ? undefined : median(base);
    emit({
      variant,
      requestsPerRound: perRound,
      rounds,
      palisadeCpuUsPerRequest: round1(p),
      palisadeByRound: ours.map(round1),
      ...(b === undefined ? {} : { baselineCpuUsPerRequest: round1(b), baselineByRound: base.map(round1), ratio: round1(p / b), extraUsPerRequest: round1(p - b) }),
      decisionCache: { hits: target.options.engine.decisions.hits, misses: target.options.engine.decisions.misses, entries: target.options.engine.decisions.size },
      loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
    });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
