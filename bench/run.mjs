// Runs every bench/*.mjs (except this file and helpers) in its own process; each prints JSON lines.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const script of scripts) {
  const run = spawnSync(process.execPath, ['--expose-gc', dir + script], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed++;
    console.error(`bench ${script} failed with ${run.status}`);
  }
}
process.exitCode = failed ? 1 : 0;
