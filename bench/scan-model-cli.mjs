// `palisade scan model` end to end, hashing on, against `sha256sum` of the same bytes (issue 23 goals:
// 200 MB float pickle <= 1.2x, 1,000 small pickles <= 2x, 1 GB PyTorch zip <= 1x while still finding
// the pickle hidden in one of its storage records; one tiny file <= 2x a bare `node -e ''`). Inputs are generated in a temp dir and removed.
// The machine is shared: runs of the tool and of sha256sum are interleaved, and medians compared.
//   node bench/scan-model-cli.mjs [--runs N] [--only WORD]      (after npm run build)
// Prints one JSON line per case: {bench, size, ms, baselineMs, ratio, goal, rssMB, runs, load}; the small-files
// case adds bareNodeMs, floorRatio (bare node / baseline), aboveFloorMs and aboveFloorRatio ((ms - bare node) / baseline).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { floatsPickle, MB, smallPickles, storedZip } from './_model-files.mjs';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3;
// --only WORD: the cases whose name contains WORD (floats, small, tiny, torch).
const ONLY = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : '';
const want = (name) => name.includes(ONLY);
// Peak RSS of the scanning process, printed by a hook loaded before the CLI.
const RSS_HOOK = `data:text/javascript,import{writeSync}from'node:fs';process.on('exit',()=>writeSync(2,'\\nBENCH_MAXRSS_KB='+process.resourceUsage().maxRSS+'\\n'))`;

/** A stored torch zip of `records` storages of `recordMB` each; record `hidden` starts with an os.system pickle. */
function torchZip(path, records, recordMB, hidden) {
  const dataPkl = Buffer.from('\x80\x02ccollections\nOrderedDict\nq\x00)Rq\x01.', 'latin1');
  const evil = Buffer.from('\x80\x02cos\nsystem\nX\x04\x00\x00\x00true\x85R.', 'latin1');
  const members = [{ name: 'archive/data.pkl', size: dataPkl.length, fill: (put) => put(dataPkl) }];
  for (let r = 0; r < records; r++) {
    members.push({
      name: `archive/data/${r}`,
      size: recordMB * MB,
      fill: async (put) => {
        const chunk = Buffer.alloc(4 * MB, 0x3f);
        if (r === hidden) {
          evil.copy(chunk);
          await put(chunk);
          chunk.fill(0x3f, 0, evil.length);
        } else {
          await put(chunk);
        }
        for (let i = 1; i < recordMB / 4; i++) await put(chunk);
      },
    });
  }
  members.push({ name: 'archive/version', size: 2, fill: (put) => put(Buffer.from('3\n')) });
  return storedZip(path, members);
}

function timed(command, args) {
  const start = performance.now();
  const run = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * MB });
  const ms = performance.now() - start;
  if (run.error) throw run.error;
  return { ms, run };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Node's own start-up: a bare `node -e ''`, below which no Node tool can go whatever it does per file. */
const BARE_NODE = [process.execPath, ['-e', '']];

/**
 * Interleave the baseline (sha256sum of the same files by default), the scan and, with `floor`, a bare
 * Node RUNS times; check the scan's verdicts each time. The floor says what the goal can mean: when
 * bare Node alone is over `goal` x the baseline, the ratio cannot reach it, and what palisade adds above
 * Node's start-up (`aboveFloorMs`) is the figure it can still lower.
 */
function compare(bench, paths, goal, check, baseline = ['sha256sum', paths], floor = false) {
  const base = [];
  const tool = [];
  const bare = [];
  let rssKB = 0;
  for (let i = 0; i < RUNS; i++) {
    base.push(timed(...baseline).ms);
    if (floor) bare.push(timed(...BARE_NODE).ms);
    const { ms, run } = timed(process.execPath, ['--import', RSS_HOOK, CLI, 'scan', 'model', ...paths, '--format', 'json', '--fail-on', 'none']);
    tool.push(ms);
    const rss = /BENCH_MAXRSS_KB=(\d+)/.exec(run.stderr);
    rssKB = Math.max(rssKB, rss ? Number(rss[1]) : 0);
    const report = JSON.parse(run.stdout);
    check(report.files);
  }
  const size = paths.reduce((n, p) => n + statSync(p).size, 0);
  const ms = median(tool);
  const baselineMs = median(base);
  const floorFigures = floor
    ? { bareNodeMs: Math.round(median(bare)), floorRatio: Number((median(bare) / baselineMs).toFixed(2)), aboveFloorMs: Math.round(ms - median(bare)), aboveFloorRatio: Number(((ms - median(bare)) / baselineMs).toFixed(2)) }
    : {};
  console.log(JSON.stringify({ bench, size, ms: Math.round(ms), baselineMs: Math.round(baselineMs), ratio: Number((ms / baselineMs).toFixed(2)), goal, ...floorFigures, rssMB: Math.round(rssKB / 1024), runs: RUNS, load: Number(loadavg()[0].toFixed(2)) }));
}

function expect(what, actual, expected) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
}

const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-model-'));
try {
  if (want('floats')) {
    const floats = join(dir, 'floats.pkl');
    await floatsPickle(floats);
    compare('scan-model-cli/floats-pickle-200MB', [floats], 1.2, (files) => expect('floats verdict', files.map((f) => [f.verdict, f.sha256.length]), [['safe', 64]]));
    rmSync(floats);
  }

  if (want('small')) {
    const small = join(dir, 'small');
    smallPickles(small);
    const smallFiles = readdirSync(small).sort().map((f) => join(small, f));
    // Goal <= 2x sha256sum, but sha256sum of 1,000 small files takes a fraction of Node's own start-up:
    // bareNodeMs and floorRatio (bare node / sha256sum, same run) show where the floor is.
    compare('scan-model-cli/1000-small-pickles', smallFiles, 2, (files) => expect('malicious count', files.filter((f) => f.verdict === 'malicious').length, 100), undefined, true);
    rmSync(small, { recursive: true });
  }

  if (want('tiny')) {
    // One tiny file: start-up is all of it, so the baseline is a bare `node -e ''` (goal <= 2x).
    const tiny = join(dir, 'tiny.pkl');
    writeFileSync(tiny, Buffer.from([0x80, 0x04, 0x4b, 0x01, 0x2e])); // PROTO 4, BININT1 1, STOP
    compare('scan-model-cli/one-tiny-pickle-vs-bare-node', [tiny], 2, (files) => expect('tiny verdict', files.map((f) => [f.format, f.verdict]), [['pickle', 'safe']]), BARE_NODE);
  }

  if (want('torch')) {
    const torch = join(dir, 'torch.pt');
    await torchZip(torch, 16, 64, 11);
    compare('scan-model-cli/torch-zip-1GB-hidden-storage-pickle', [torch], 1, (files) =>
      expect('hidden pickle', files.map((f) => [f.verdict, f.findings.map((x) => [x.rule, x.member])]), [['suspicious', [['TORCH_HIDDEN_STORAGE_PICKLE', 'archive/data/11']]]]),
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
