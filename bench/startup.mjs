// Start-up: `palisade scan model` of one tiny pickle and `palisade --version`, against a bare
// `node -e ''` timed in the same run. Runs are interleaved (bare, version, scan, bare, …) and the
// medians compared, so load from other processes hits all three alike. Goal (issue 23): scan ≤ 2×.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// PALISADE_BENCH_CLI: another build's main.js, to measure a before/after pair the same way.
const cli = process.env.PALISADE_BENCH_CLI ?? fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-startup-'));
const tiny = join(dir, 'tiny.pkl');
writeFileSync(tiny, Buffer.from([0x80, 0x04, 0x4b, 0x01, 0x2e])); // PROTO 4, BININT1 1, STOP

const cases = { bare: ['-e', ''], version: [cli, '--version'], scanModel: [cli, 'scan', 'model', tiny] };
const runs = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
const rss = {};
for (let i = 0; i < 15; i++) {
  for (const [name, args] of Object.entries(cases)) {
    const start = performance.now();
    const run = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    runs[name].push(performance.now() - start);
    if (run.status !== 0) throw new Error(`${name} exited ${run.status}: ${run.stderr}`);
  }
}
// Peak RSS of one more run of each, from GNU time where it is installed (%M: KB).
if (spawnSync('/usr/bin/time', ['-f', '%M', 'true']).status === 0) {
  for (const [name, args] of Object.entries(cases)) {
    const run = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    rss[name] = Math.round(Number(run.stderr.trim().split('\n').pop()) / 1024);
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const bare = median(runs.bare);
for (const name of ['version', 'scanModel']) {
  const ms = median(runs[name]);
  console.log(JSON.stringify({ bench: `startup/${name}`, size: { command: cases[name].slice(1).join(' ').replace(dir, '$TMP') }, ms: Math.round(ms), baselineMs: Math.round(bare), ratio: +(ms / bare).toFixed(2), peakRssMb: rss[name], baselineRssMb: rss.bare, goal: name === 'scanModel' ? 2 : undefined, load1: +loadavg()[0].toFixed(1) }));
}
rmSync(dir, { recursive: true, force: true });
