// Benchmark of `palisade scan model` on the inputs of ../shared/research/models.md section 5,
// generated here (never stored): each figure is compared with sha256 of the same bytes, read in
// the same run, so the ratio holds on a noisy machine.
//   node bench/scan-model.mjs            (after npm run build)
// Prints one JSON line per figure: {bench, size, ms, baselineMs, ratio, rssMB} (rssMB: peak so far).
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanModelFile, scanModelPaths } from '../dist/scan/model/index.js';
import { floatsPickle, le, MB, smallPickles, storedZip, write } from './_model-files.mjs';

const OUT = fileURLToPath(new URL('./out/scan-model/', import.meta.url));
mkdirSync(OUT, { recursive: true });

/** (a2) one 200 MiB BINBYTES8 literal. */
async function bytesPickle(path) {
  await write(path, async (put) => {
    await put(Buffer.concat([Buffer.from([0x80, 0x04, 0x8e]), le(200 * MB, 8)]));
    const chunk = Buffer.alloc(8 * MB, 0x41);
    for (let i = 0; i < 25; i++) await put(chunk);
    await put(Buffer.from([0x2e]));
  });
}

/** (b) a 500 MiB torch zip: a small archive/data.pkl and one 500 MiB storage record. */
function torchZip(path) {
  const dataPkl = Buffer.concat([
    Buffer.from([0x80, 0x02]),
    Buffer.from('ctorch._utils\n_rebuild_tensor_v2\nq\x00((X\x07\x00\x00\x00storageq\x01ctorch\nFloatStorage\nq\x02X\x01\x00\x00\x000q\x03X\x03\x00\x00\x00cpuq\x04J\x00\x00\x40\x07tq\x05QK\x00J\x00\x00\x40\x07\x85q\x06K\x01\x85q\x07\x89ccollections\nOrderedDict\nq\x08)Rq\x09tq\x0aRq\x0b.', 'latin1'),
  ]);
  return storedZip(path, [
    { name: 'archive/data.pkl', size: dataPkl.length, fill: (p) => p(dataPkl) },
    { name: 'archive/data/0', size: 500 * MB, fill: async (p) => { const c = Buffer.alloc(8 * MB, 0x3f); for (let i = 0; i < 62; i++) await p(c); await p(Buffer.alloc(4 * MB, 0x3f)); } },
    { name: 'archive/version', size: 2, fill: (p) => p(Buffer.from('3\n')) },
  ]);
}

async function sha256Of(paths) {
  const start = performance.now();
  for (const p of paths) {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(p, { highWaterMark: MB })) hash.update(chunk);
    hash.digest('hex');
  }
  return performance.now() - start;
}

function report(bench, size, ms, baselineMs) {
  // Peak resident set of the process so far (the benches run largest-first).
  const rssMB = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(JSON.stringify({ bench, size, ms: Math.round(ms), baselineMs: Math.round(baselineMs), ratio: Number((ms / baselineMs).toFixed(2)), rssMB }));
}

async function one(bench, path, expected) {
  const baselineMs = await sha256Of([path]);
  const start = performance.now();
  const result = await scanModelFile(path, { hash: false });
  const ms = performance.now() - start;
  if (result.verdict !== expected) throw new Error(`${bench}: verdict ${result.verdict}, expected ${expected}`);
  report(bench, statSync(path).size, ms, baselineMs);
}

const floats = join(OUT, 'big_floats_p4.pkl');
const bytes = join(OUT, 'big_bytes_p4.pkl');
const torch = join(OUT, 'big_torch.pt');
const dir = join(OUT, 'dir_1000');
await floatsPickle(floats);
await bytesPickle(bytes);
await torchZip(torch);
smallPickles(dir);

await one('scan-model/floats-pickle-200MB', floats, 'safe');
await one('scan-model/bytes-pickle-200MB', bytes, 'safe');
await one('scan-model/torch-zip-500MB', torch, 'safe');

const files = readdirSync(dir).map((f) => join(dir, f));
const baselineMs = await sha256Of(files);
const start = performance.now();
const { files: scanned } = await scanModelPaths([dir], { hash: false });
const ms = performance.now() - start;
const malicious = scanned.filter((f) => f.verdict === 'malicious').length;
if (malicious !== 100) throw new Error(`dir_1000: ${malicious} malicious files, expected 100`);
report('scan-model/1000-small-pickles', files.reduce((n, f) => n + statSync(f).size, 0), ms, baselineMs);
