// Benchmark of `palisade scan image` (issue 8): inventory of a generated image layout (several
// gzip layers, many files) against two baselines over the very same layer bytes, measured in the
// same run: sha256 of the stored bytes, and `tar -tzf` of each layer. Then matching 5,000 packages
// against a 100,000-advisory OSV database, against the time it takes to parse those advisories.
//   npm run build && node bench/scan-image.mjs          (PALISADE_BENCH_IMAGE_MB=1024 by default)
// Prints one JSON line per figure: {bench, size, ms, baselineMs, ratio, ...}.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { pack } from 'tar-stream';
import { scanImage } from '../dist/scan/image/index.js';
import { indexAdvisories, matchPackages, readAdvisory } from '../dist/scan/image/vuln/index.js';

const MB = 1024 * 1024;
const TARGET_MB = Number(process.env.PALISADE_BENCH_IMAGE_MB ?? 1024);
const LAYERS = 4;
const OUT = fileURLToPath(new URL(`./out/scan-image/layout-${TARGET_MB}mb/`, import.meta.url));

/** Deterministic bytes: a xorshift stream, half of it repeated so gzip has work but not only work. */
function filler(seed, size) {
  const out = Buffer.alloc(size);
  let x = seed | 1;
  for (let i = 0; i + 4 <= size; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeUInt32LE(x >>> 0, i);
  }
  const half = Math.floor(size / 2);
  out.copy(out, half, 0, size - half);
  return out;
}

function dpkgStatus(count) {
  let text = '';
  for (let i = 0; i < count; i++) text += `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nSource: src${i % 300}\nVersion: 1.${i % 50}-${i % 7}+deb12u1\n\n`;
  return text;
}

async function writeLayer(path, layerIndex, bytesWanted) {
  const tar = pack();
  const sink = pipeline(tar, createGzip({ level: 1 }), createWriteStream(path));
  const add = (name, body) => new Promise((resolve, reject) => tar.entry({ name, size: body.length, mtime: new Date(0) }, body, (e) => (e ? reject(e) : resolve())));
  let written = 0;
  if (layerIndex === 0) {
    await add('etc/os-release', Buffer.from('ID=debian\nVERSION_ID="12"\n'));
    await add('var/lib/dpkg/status', Buffer.from(dpkgStatus(2000)));
  }
  for (let i = 0; written < bytesWanted; i++) {
    const size = 512 + ((i * 7919) % (192 * 1024));
    const dir = `usr/share/layer${layerIndex}/d${i % 200}`;
    if (i % 500 === 0) {
      const name = `p${layerIndex}_${i}`;
      await add(`usr/lib/python3/site-packages/${name}-1.0.dist-info/METADATA`, Buffer.from(`Metadata-Version: 2.1\nName: ${name}\nVersion: 1.${i % 9}\n`));
      await add(`app/node_modules/${name}/package.json`, Buffer.from(JSON.stringify({ name, version: `1.0.${i % 9}` })));
    }
    await add(`${dir}/f${i}.bin`, filler(layerIndex * 1_000_003 + i, size));
    written += size;
  }
  tar.finalize();
  await sink;
}

async function generate() {
  if (existsSync(join(OUT, 'index.json'))) return;
  const tmp = OUT.replace(/\/$/, '') + '.tmp';
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'blobs', 'sha256'), { recursive: true });
  const layers = [];
  const diffIds = [];
  for (let l = 0; l < LAYERS; l++) {
    const file = join(tmp, `layer${l}.tar.gz`);
    await writeLayer(file, l, (TARGET_MB * MB) / LAYERS);
    const digest = await hashFile(file);
    const diffHash = createHash('sha256');
    await pipeline(createReadStream(file), createGunzip(), async function* (source) {
      for await (const chunk of source) diffHash.update(chunk);
    });
    renameSync(file, join(tmp, 'blobs', 'sha256', digest));
    layers.push({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${digest}`, size: statSync(join(tmp, 'blobs', 'sha256', digest)).size });
    diffIds.push(`sha256:${diffHash.digest('hex')}`);
  }
  const blob = (value) => {
    const bytes = Buffer.from(JSON.stringify(value));
    const digest = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(tmp, 'blobs', 'sha256', digest), bytes);
    return { digest: `sha256:${digest}`, size: bytes.length };
  };
  const config = blob({ architecture: 'amd64', os: 'linux', config: { User: '1000' }, rootfs: { type: 'layers', diff_ids: diffIds } });
  const manifest = blob({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers });
  writeFileSync(join(tmp, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(tmp, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest }] }));
  rmSync(OUT, { recursive: true, force: true });
  renameSync(tmp, OUT);
}

async function hashFile(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: MB })) hash.update(chunk);
  return hash.digest('hex');
}

function best(times) {
  return Math.min(...times);
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

await generate();
const blobs = readdirSync(join(OUT, 'blobs', 'sha256')).map((f) => join(OUT, 'blobs', 'sha256', f));
const layerFiles = blobs.filter((f) => statSync(f).size > MB);
const stored = layerFiles.reduce((sum, f) => sum + statSync(f).size, 0);

const ours = [];
const sha = [];
const tar = [];
let scan;
for (let round = 0; round < 2; round++) {
  const s = await timed(() => Promise.all(layerFiles.map(hashFile)));
  sha.push(s.ms);
  const t = await timed(async () => {
    for (const file of layerFiles) {
      const run = spawnSync('tar', ['-tzf', file], { maxBuffer: 1 << 30 });
      if (run.status !== 0) throw new Error(`tar -tzf failed: ${run.stderr}`);
    }
  });
  tar.push(t.ms);
  const o = await timed(() => scanImage(OUT));
  ours.push(o.ms);
  scan = o.value;
}
if (scan.errors.length > 0) throw new Error(`scan errors: ${scan.errors.map((e) => e.code).join(', ')}`);
const common = { size: stored, uncompressedEntries: scan.image.files, packages: scan.packages.length };
process.stdout.write(JSON.stringify({ bench: 'scan-image-inventory-vs-sha256', ...common, ms: best(ours), baselineMs: best(sha), ratio: best(ours) / best(sha) }) + '\n');
// The goal: at least half the rate of `tar -tzf` over the same layers (ratio ≤ 2).
process.stdout.write(JSON.stringify({ bench: 'scan-image-inventory-vs-tar-tzf', ...common, ms: best(ours), baselineMs: best(tar), ratio: best(ours) / best(tar), goalRatio: 2 }) + '\n');

// Matching: 100,000 advisories over Debian, PyPI and npm; 5,000 installed packages.
const ADVISORIES = 100_000;
const texts = [];
for (let i = 0; i < ADVISORIES; i++) {
  const kind = i % 10;
  const affected =
    kind < 6
      ? { package: { ecosystem: 'Debian:12', name: `src${i % 3000}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${i % 60}-${i % 9}+deb12u2` }] }] }
      : kind < 8
        ? { package: { ecosystem: 'PyPI', name: `p${i % 4000}` }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: `1.${i % 12}` }] }], versions: [`0.${i % 5}`] }
        : { package: { ecosystem: 'npm', name: `n${i % 4000}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: `1.0.${i % 12}` }] }] };
  texts.push(JSON.stringify({ id: `OSV-${i}`, aliases: [`CVE-2024-${i}`], affected: [affected], database_specific: { severity: 'HIGH' } }));
}
const packages = [];
for (let i = 0; i < 5000; i++) {
  const kind = i % 3;
  if (kind === 0) packages.push({ name: `bin${i}`, version: `1.${i % 50}-${i % 7}+deb12u1`, ecosystem: 'Debian:12', purl: `pkg:deb/debian/bin${i}`, path: 'var/lib/dpkg/status', source: { name: `src${i % 3000}` } });
  else if (kind === 1) packages.push({ name: `p${i % 4000}`, version: `1.${i % 11}`, ecosystem: 'PyPI', purl: `pkg:pypi/p${i}`, path: 'x' });
  else packages.push({ name: `n${i % 4000}`, version: `1.0.${i % 10}`, ecosystem: 'npm', purl: `pkg:npm/n${i}`, path: 'x' });
}
const parse = await timed(() => texts.map((t) => readAdvisory(JSON.parse(t))));
const database = indexAdvisories(parse.value);
const matchRuns = [];
let matches = [];
for (let round = 0; round < 3; round++) {
  const m = await timed(() => matchPackages(packages, database));
  matchRuns.push(m.ms);
  matches = m.value;
}
process.stdout.write(JSON.stringify({ bench: 'scan-image-osv-match', size: packages.length, advisories: ADVISORIES, matches: matches.length, ms: best(matchRuns), baselineMs: parse.ms, ratio: best(matchRuns) / parse.ms, goalMs: 1000 }) + '\n');
