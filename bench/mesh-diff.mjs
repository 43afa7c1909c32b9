// `netpol diff` over every layer on bench/mesh.mjs's generated cluster (a Calico global default deny,
// per-tenant Calico allows, one Istio AuthorizationPolicy per 10 workloads) against the same cluster
// with one AuthorizationPolicy changed (the second: who the tenant's frontend may call): `methods` (GET added: both revisions have one universe, each
// model is built once) and `paths` (/healthz added: the universes differ, both models are built again
// over their union). The baseline, in the same run, is the layered matrix of the old revision alone
// (load + model + matrix). Each measure runs in its own process; `cliMs` is `palisade netpol diff
// BEFORE AFTER --format json --resolution deployment` end to end. One JSON line per size and change.
// Run after `npm run build`: node bench/mesh-diff.mjs [workloads...] (default 5000)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadText } from '../dist/core/load.js';
import { buildMeshModelPair, meshDiff } from '../dist/netpol/layers/diff.js';
import { buildMeshModel, meshMatrix } from '../dist/netpol/layers/matrix.js';
import { cluster } from './mesh.mjs';

/** The old revision's text, and the new one with the first AuthorizationPolicy changed. */
function revisions(size, change) {
  const before = cluster(size).mesh;
  const docs = before.split('\n---\n').map((d) => JSON.parse(d));
  // The second policy: the first guards the tenant's frontend, which its own rule names (a self pair, never in a diff).
  const policy = docs.filter((d) => d.kind === 'AuthorizationPolicy')[1];
  const operation = policy.spec.rules[0].to[0].operation;
  if (change === 'methods') operation.methods = ['POST', 'GET'];
  else operation.paths = [...operation.paths, '/healthz'];
  return { before, after: docs.map((d) => JSON.stringify(d)).join('\n---\n') };
}

function measure(what, size, change) {
  const { before, after } = revisions(size, change);
  const t = performance.now();
  let count;
  if (what === 'matrix') {
    const model = buildMeshModel(loadText('before.json', before).resources);
    if (model.errors.length) throw new Error(model.errors[0].message);
    count = meshMatrix(model, 'deployment').length;
  } else {
    const pair = buildMeshModelPair(loadText('before.json', before).resources, loadText('after.json', after).resources);
    if (pair.before.errors.length + pair.after.errors.length) throw new Error('input errors');
    count = meshDiff(pair.before, pair.after, 'deployment').length;
  }
  return { ms: performance.now() - t, rssMb: process.resourceUsage().maxRSS / 1024, count };
}

function child(what, size, change) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', what, String(size), change], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`${what} ${size}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(measure(process.argv[3], Number(process.argv[4]), process.argv[5])));
} else {
  const sizes = process.argv.slice(2).map(Number);
  const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
  for (const size of sizes.length ? sizes : [5000]) {
    for (const change of ['methods', 'paths']) {
      const matrix = child('matrix', size, change);
      const diff = child('diff', size, change);
      const dir = mkdtempSync(join(tmpdir(), 'palisade-mesh-diff-bench-'));
      const { before, after } = revisions(size, change);
      writeFileSync(join(dir, 'before.json'), before);
      writeFileSync(join(dir, 'after.json'), after);
      const t = performance.now();
      const run = spawnSync(process.execPath, [cli, 'netpol', 'diff', join(dir, 'before.json'), join(dir, 'after.json'), '--format', 'json', '--resolution', 'deployment'], { encoding: 'utf8', maxBuffer: 1 << 28 });
      const cliMs = performance.now() - t;
      rmSync(dir, { recursive: true, force: true });
      if (run.status !== 0 && run.status !== 1) throw new Error(`cli exit ${run.status}: ${run.stderr}`);
      const cliEntries = JSON.parse(run.stdout).diff.length;
      console.log(JSON.stringify({ bench: 'netpol-mesh-diff', size, change, ms: Math.round(diff.ms), matrixMs: Math.round(matrix.ms), ratio: +(diff.ms / matrix.ms).toFixed(2), peakRssMb: Math.round(diff.rssMb), matrixRssMb: Math.round(matrix.rssMb), cliMs: Math.round(cliMs), entries: diff.count, cliEntries, matrixConnections: matrix.count }));
    }
  }
}
