// A load generator paced like `hey -c C -q Q` (C workers, each sending at most Q requests per
// second, each waiting for its answer), over keep-alive HTTPS, that sends a *different* body on
// every request: hey repeats one body file, so it cannot measure a webhook whose decision cache
// answers repeated bodies. argv: port seconds rate workers templateFile caFile. The template holds
// __SEQ__ where each request puts its sequence number (a pod label and the request uid).
// Prints {requests, errors, p50ms, p99ms} as JSON.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

const [port, seconds, rate, workers, templateFile, caFile] = process.argv.slice(2);
const template = readFileSync(templateFile, 'utf8');
const [head, ...rest] = template.split('__SEQ__');
const ca = readFileSync(caFile, 'utf8');
const agent = new Agent({ keepAlive: true, maxSockets: Number(workers) });
const interval = (1000 * Number(workers)) / Number(rate);
const end = performance.now() + Number(seconds) * 1000;
const times = [];
let errors = 0;
let seq = 0;
// Unique across runs too: the server's cache outlives one run (the warm-up, earlier rounds).
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;

const send = (body) =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port: Number(port), method: 'POST', path: '/validate?timeout=10s', ca, servername: 'localhost', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode === 200));
      res.on('error', () => resolve(false));
    });
    req.on('error', () => resolve(false));
    req.end(body);
  });

async function worker() {
  // Like Go's time.Ticker behind hey -q: every worker starts at once and ticks every interval; a late request sends the next at once.
  let next = performance.now();
  while (true) {
    const now = performance.now();
    if (next > now) await new Promise((resolve) => setTimeout(resolve, next - now));
    if (performance.now() >= end) return;
    next = Math.max(next + interval, performance.now() - interval);
    const n = `${run}-${seq++}`;
    const started = performance.now();
    const ok = await send(head + rest.map((part) => n + part).join(''));
    if (ok) times.push(performance.now() - started);
    else errors++;
  }
}

await Promise.all(Array.from({ length: Number(workers) }, () => worker()));
agent.destroy();
times.sort((a, b) => a - b);
const pct = (p) => (times.length ? Math.round(times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] * 100) / 100 : undefined);
console.log(JSON.stringify({ requests: times.length + errors, errors, p50ms: pct(50), p99ms: pct(99) }));
