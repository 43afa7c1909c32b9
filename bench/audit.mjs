// Audit throughput on 50,000 mixed resources (~100 MB of YAML) vs. the yaml package's parse alone,
// each in a fresh process (start-up is bench/startup.mjs).
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCorpus } from './_corpus.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const corpus = ensureCorpus(join(tmpdir(), 'palisade-bench'));
const child = (mode) => {
  const run = spawnSync(process.execPath, ['--max-old-space-size=4096', join(here, '_audit-child.mjs'), mode, corpus.dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
};
const best = (mode, n) => Array.from({ length: n }, () => child(mode)).sort((a, b) => a.ms - b.ms)[0];
const baseline = best('baseline', 2);
const audit = best('audit', 2);
console.log(JSON.stringify({ bench: 'audit', size: { resources: corpus.resources, bytes: corpus.bytes }, ms: Math.round(audit.ms), baselineMs: Math.round(baseline.ms), ratio: +(audit.ms / baseline.ms).toFixed(2), peakRssMb: Math.round(audit.rssMb), baselineRssMb: Math.round(baseline.rssMb), findings: audit.count }));

