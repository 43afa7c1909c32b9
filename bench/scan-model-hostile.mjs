// The bound of issue 14: no input under 50 MB on disk makes `palisade scan model` take more than 60 s
// or 1 GB of RSS. Hostile inputs are generated in a temp dir (compression bombs of every codec the
// scanner decodes, a zip whose central directory points 64 times at one member, archives nested
// deep, pickles that build huge stacks, memos and opcode counts, 40,000-member tars, a 7z bomb);
// each is scanned by the CLI in its own process, with hashing on.
//   node bench/scan-model-hostile.mjs           (after npm run build)
// Prints one JSON line per input: {bench, size, ms, rssMB, verdict, rules, withinBound}; exits 1 past the bound.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const MB = 1024 * 1024;
const MAX_MS = 60_000;
const MAX_RSS_MB = 1024;
// Linux keeps a process's peak RSS across fork and exec, so a hook inside the child would count this
// (large) bench process too: GNU time measures the scan's own peak when it is installed.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const RSS_HOOK = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'\\nBENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

function le(value, width) {
  const b = Buffer.alloc(width);
  let v = value;
  for (let i = 0; i < width; i++) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/** A zip whose central directory has `names.length` entries, all pointing at the local header of `data` (deflated). */
function overlappingZip(data, names) {
  const body = deflateRawSync(data, { level: 9 });
  const first = Buffer.from(names[0]);
  const common = (n) => Buffer.concat([le(8, 2), le(0, 4), le(0, 4), le(body.length, 4), le(data.length, 4), le(n.length, 2), le(0, 2)]);
  const local = Buffer.concat([le(0x04034b50, 4), le(20, 2), le(0, 2), common(first), first]);
  const central = Buffer.concat(names.map((name) => { const n = Buffer.from(name); return Buffer.concat([le(0x02014b50, 4), le(20, 2), le(20, 2), le(0, 2), common(n), le(0, 2), le(0, 2), le(0, 2), le(0, 4), le(0, 4), n]); }));
  const offset = local.length + body.length;
  return Buffer.concat([local, body, central, le(0x06054b50, 4), le(0, 4), le(names.length, 2), le(names.length, 2), le(central.length, 4), le(offset, 4), le(0, 2)]);
}

/** A stored zip holding `inner` as one member. */
function storedZip(name, inner) {
  const n = Buffer.from(name);
  const common = Buffer.concat([le(0, 2), le(0, 4), le(0, 4), le(inner.length, 4), le(inner.length, 4), le(n.length, 2), le(0, 2)]);
  const local = Buffer.concat([le(0x04034b50, 4), le(20, 2), le(0, 2), common, n]);
  const central = Buffer.concat([le(0x02014b50, 4), le(20, 2), le(20, 2), le(0, 2), common, le(0, 2), le(0, 2), le(0, 2), le(0, 4), le(0, 4), n]);
  return Buffer.concat([local, inner, central, le(0x06054b50, 4), le(0, 4), le(1, 2), le(1, 2), le(central.length, 4), le(local.length + inner.length, 4), le(0, 2)]);
}

/** A 512-byte ustar header (checksum computed) for a regular member. */
function tarHeader(name, size) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'latin1');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h[156] = 0x30;
  h.write('ustar\x0000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

/** LZ4 frame of `size` zero bytes: stored-literal-free blocks of 4 MB made of one long match each. */
function lz4Zeros(size) {
  const block = 4 * MB;
  const parts = [Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x70, 0x00])];
  for (let left = size; left > 0; left -= block) {
    const n = Math.min(block, left);
    // one literal 0, then a match of n - 1 - 5 at offset 1, then 5 literal zeros
    const match = n - 6 - 4 - 15;
    const len = [];
    for (let m = match; ; m -= 255) { if (m >= 255) len.push(255); else { len.push(m); break; } }
    const seq = Buffer.concat([Buffer.from([0x1f, 0x00, 0x01, 0x00]), Buffer.from(len), Buffer.from([0x50, 0, 0, 0, 0, 0])]);
    parts.push(le(seq.length, 4), seq);
  }
  parts.push(le(0, 4));
  return Buffer.concat(parts);
}

function pickleOf(body) {
  return Buffer.concat([Buffer.from([0x80, 0x04]), body, Buffer.from('.')]);
}

const CASES = [
  ['zip-64-entries-one-200MB-member', 'model.pt', () => overlappingZip(Buffer.alloc(200 * MB), Array.from({ length: 64 }, (_, i) => `archive/data/${i}`))],
  ['gzip-bomb-4GB', 'model.pkl.gz', () => gzipSync(Buffer.alloc(1024 * MB), { level: 9 }).subarray(0) /* repeated below */],
  ['zlib-joblib-bomb-1GB', 'model.joblib', () => deflateSync(Buffer.alloc(1024 * MB), { level: 9 })],
  ['lz4-joblib-bomb-2GB', 'model.joblib', () => lz4Zeros(2048 * MB)],
  ['zip-nested-8-deep', 'model.zip', () => { let z = pickleOf(Buffer.from('cos\nsystem\n(Vtrue\ntR', 'latin1')); for (let i = 0; i < 8; i++) z = storedZip(`level${i}.zip`, z); return z; }],
  ['pickle-40MB-of-MARK', 'model.pkl', () => pickleOf(Buffer.alloc(40 * MB, 0x28))],
  ['pickle-memo-5M-entries', 'model.pkl', () => pickleOf(Buffer.concat([Buffer.from([0x4e]), Buffer.alloc(8 * MB, 0x94)]))],
  ['pickle-20M-empty-tuples', 'model.pkl', () => pickleOf(Buffer.concat([Buffer.from([0x28]), Buffer.alloc(20 * MB, 0x29), Buffer.from([0x74])]))],
  ['npy-object-shape-2^60', 'a.npy', () => { const h = "{'descr': '|O', 'fortran_order': False, 'shape': (1152921504606846976,), }"; const p = h.padEnd(118, ' ') + '\n'; return Buffer.concat([Buffer.from('\x93NUMPY\x01\x00', 'latin1'), le(p.length, 2), Buffer.from(p), Buffer.alloc(16, 0x28)]); }],
  ['tar-40000-members', 'model.tar', () => Buffer.concat([...Array.from({ length: 40_000 }, (_, i) => [tarHeader(`m${i}.pkl`, 3), Buffer.from('N.\0'.padEnd(512, '\0'), 'latin1')]).flat(), Buffer.alloc(1024)])],
];

const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-hostile-'));
let failed = 0;
try {
  for (const [bench, name, make] of CASES) {
    const path = join(dir, `${bench}-${name}`);
    let data = make();
    if (bench === 'gzip-bomb-4GB') data = Buffer.concat([data, data, data, data]); // gzip members concatenated: 4 GB out
    writeFileSync(path, data);
    data = undefined;
    const size = statSync(path).size;
    const start = performance.now();
    const scan = [CLI, 'scan', 'model', path, '--format', 'json', '--fail-on', 'none'];
    const [command, args] = TIME ? [TIME, ['-f', 'BENCH_MAXRSS_KB=%M', process.execPath, ...scan]] : [process.execPath, ['--import', RSS_HOOK, ...scan]];
    const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * MB, timeout: 5 * MAX_MS });
    const ms = performance.now() - start;
    const rss = /BENCH_MAXRSS_KB=(\d+)/.exec(run.stderr ?? '');
    const rssMB = rss ? Math.round(Number(rss[1]) / 1024) : -1;
    let verdict = 'none';
    let rules = [];
    try {
      const file = JSON.parse(run.stdout).files[0];
      verdict = file.verdict;
      rules = [...new Set(file.findings.map((f) => f.rule))];
    } catch {
      verdict = `no report (exit ${run.status}, ${run.signal ?? ''})`;
    }
    const withinBound = size < 50 * MB && ms < MAX_MS && rssMB > 0 && rssMB < MAX_RSS_MB && run.status !== null && run.status !== 2;
    if (!withinBound) failed++;
    console.log(JSON.stringify({ bench: `scan-model-hostile/${bench}`, size, ms: Math.round(ms), rssMB, verdict, rules, withinBound, load: Number(loadavg()[0].toFixed(2)) }));
    rmSync(path);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
