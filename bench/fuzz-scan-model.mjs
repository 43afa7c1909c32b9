// Mutation fuzzing of the model scanner over the shared corpus (not part of npm test).
//   node bench/fuzz-scan-model.mjs [seconds=120] [seed=1]
// Flips, inserts, deletes, truncates, duplicates and splices bytes of every corpus sample and
// scans the result in memory. Any exception is a crash; any input slower than 2 s is a hang
// candidate. Prints one JSON line: inputs tried, crashes, slowest input, peak RSS.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanModelBytes } from '../dist/scan/model/index.js';

const seconds = Number(process.argv[2] ?? 120);
let seed = Number(process.argv[3] ?? 1);
const SHARED = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));

function random() {
  // mulberry32: reproducible from the seed
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (n) => Math.floor(random() * n);

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const corpus = [...files(join(SHARED, 'models')), ...files(join(SHARED, 'models-real'))]
  .filter((p) => !p.endsWith('.json') && !p.endsWith('.md'))
  .map((p) => ({ path: p, data: readFileSync(p) }));

const INTERESTING = [0x00, 0xff, 0x7f, 0x80, 0x2e, 0x28, 0x93, 0x95, 0x63, 0x0a, 0x50, 0x4b];

function mutate(input) {
  let data = Buffer.from(input);
  const rounds = 1 + pick(4);
  for (let r = 0; r < rounds; r++) {
    const at = data.length === 0 ? 0 : pick(data.length);
    switch (pick(7)) {
      case 0: // flip bits
        if (data.length) data[at] ^= 1 << pick(8);
        break;
      case 1: // interesting byte
        if (data.length) data[at] = INTERESTING[pick(INTERESTING.length)];
        break;
      case 2: // insert random bytes
        data = Buffer.concat([data.subarray(0, at), Buffer.from(Array.from({ length: 1 + pick(8) }, () => pick(256))), data.subarray(at)]);
        break;
      case 3: // delete a run
        data = Buffer.concat([data.subarray(0, at), data.subarray(at + 1 + pick(16))]);
        break;
      case 4: // truncate
        data = data.subarray(0, at);
        break;
      case 5: // duplicate a run
        data = Buffer.concat([data.subarray(0, at), data.subarray(at, at + 1 + pick(64)), data.subarray(at)]);
        break;
      default: {
        // splice with another sample
        const other = corpus[pick(corpus.length)].data;
        const from = pick(Math.max(1, other.length));
        data = Buffer.concat([data.subarray(0, at), other.subarray(from, from + 1 + pick(128))]);
      }
    }
  }
  return data;
}

const deadline = Date.now() + seconds * 1000;
let inputs = 0;
let crashes = 0;
let slowest = { ms: 0, from: '' };
let peakRss = 0;
const firstCrashes = [];
while (Date.now() < deadline) {
  const sample = corpus[pick(corpus.length)];
  const data = mutate(sample.data);
  const start = performance.now();
  try {
    await scanModelBytes(data, sample.path.split('/').pop(), { hash: false });
  } catch (error) {
    crashes++;
    if (firstCrashes.length < 5) firstCrashes.push({ from: sample.path, error: String(error && error.stack || error).slice(0, 300) });
  }
  const ms = performance.now() - start;
  if (ms > slowest.ms) slowest = { ms: Math.round(ms), from: sample.path.replace(SHARED, '') };
  inputs++;
  if (inputs % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
console.log(JSON.stringify({ bench: 'scan-model/fuzz', inputs, crashes, hangCandidates: slowest.ms > 2000 ? 1 : 0, slowestMs: slowest.ms, slowestFrom: slowest.from, rssMB: Math.round(peakRss / 1024 / 1024), seconds }));
for (const c of firstCrashes) console.error(JSON.stringify(c));
if (crashes > 0) process.exitCode = 1;
