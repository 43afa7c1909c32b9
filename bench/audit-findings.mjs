// `palisade audit DIR --format json` end to end on the findings-heavy corpus (bench/_corpus-findings.mjs:
// 20,000 resources in 500 files, made of real ML manifests and the insecure example stack), against
// a process that only parses the same files with the yaml package (positions on), both interleaved,
// medians of 3. Prints wall and CPU time (GNU time; on a shared machine CPU is the steadier figure),
// peak RSS and the finding count. Goal (issue 23): ratio ≤ 1.5, ≤ 1 GB.
//   node bench/audit-findings.mjs [resources]      (PALISADE_BENCH_CLI=… another build's main.js)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFindingsCorpus } from './_corpus-findings.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const cli = process.env.PALISADE_BENCH_CLI ?? join(here, '../dist/cli/main.js');
const resources = Number(process.argv[2] ?? 20_000);
const corpus = ensureFindingsCorpus(join(tmpdir(), 'palisade-bench'), resources);
const timed = existsSync('/usr/bin/time');

function spawn(args) {
  const argv = [...(timed ? ['/usr/bin/time', '-f', '%U %S %M'] : []), process.execPath, ...args];
  const start = performance.now();
  const run = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 2 ** 31 - 1 });
  const ms = performance.now() - start;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')}: exit ${run.status}\n${run.stderr.slice(-2000)}`);
  const [user, sys, kb] = timed ? run.stderr.trim().split('\n').pop().split(' ').map(Number) : [];
  return { ms, cpuMs: timed ? (user + sys) * 1000 : undefined, rssMB: timed ? kb / 1024 : undefined, stdout: run.stdout };
}

const audits = [];
const baselines = [];
let findings;
for (let i = 0; i < 3; i++) {
  baselines.push(spawn([join(here, '_parse-only.mjs'), corpus.dir]));
  const run = spawn([cli, 'audit', corpus.dir, '--format', 'json', '--fail-on', 'none']);
  findings ??= JSON.parse(run.stdout).findings.reduce((n, f) => n + (f.occurrences?.length ?? 1), 0);
  run.stdout = '';
  audits.push(run);
}
const median = (xs, key) => xs.map((x) => x[key]).sort((a, b) => a - b)[xs.length >> 1];
const ms = median(audits, 'ms');
const baselineMs = median(baselines, 'ms');
console.log(JSON.stringify({
  bench: 'audit-findings-heavy',
  size: { resources: corpus.resources, files: corpus.files, bytes: corpus.bytes },
  findings,
  ms: Math.round(ms),
  baselineMs: Math.round(baselineMs),
  ratio: +(ms / baselineMs).toFixed(2),
  ...(timed ? { cpuMs: Math.round(median(audits, 'cpuMs')), baselineCpuMs: Math.round(median(baselines, 'cpuMs')), cpuRatio: +(median(audits, 'cpuMs') / median(baselines, 'cpuMs')).toFixed(2), peakRssMb: Math.round(Math.max(...audits.map((a) => a.rssMB))), baselineRssMb: Math.round(Math.max(...baselines.map((b) => b.rssMB))) } : {}),
  goal: { ratio: 1.5, rssMb: 1024 },
  load1: +loadavg()[0].toFixed(1),
}));
