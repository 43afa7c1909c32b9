#!/usr/bin/env node
// Bounded fuzzing of palisade's parsers: node fuzz/run.mjs [--budget-ms N] [--seed S] [--target NAME]
// Every fuzz/targets/*.mjs exports { name, run({ budgetMs, rng }) } and returns its failures
// ({ target, message, input? (base64) }). The budget is shared equally by the targets. Exit 1 on any
// failure, printing each with the seed that reproduces it. See fuzz/README.md.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { Rng } from './lib/rng.mjs';

const TARGETS = fileURLToPath(new URL('./targets/', import.meta.url));

export function parseArgs(argv) {
  const args = { budgetMs: 60_000, seed: Date.now() % 0x100000000, only: undefined };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (flag === '--budget-ms') args.budgetMs = Number(value());
    else if (flag === '--seed') args.seed = Number(value());
    else if (flag === '--target') args.only = value();
    else throw new Error(`unknown option ${argv[i]} (use --budget-ms N, --seed S, --target NAME)`);
  }
  if (!Number.isFinite(args.budgetMs) || args.budgetMs < 0 || !Number.isInteger(args.seed)) throw new Error('--budget-ms and --seed take numbers');
  return args;
}

/** Load every target module, sorted by file name. */
export async function loadTargets(only) {
  const files = readdirSync(TARGETS).filter((f) => f.endsWith('.mjs')).sort();
  const targets = [];
  for (const file of files) {
    const module = await import(pathToFileURL(join(TARGETS, file)).href);
    if (typeof module.name !== 'string' || typeof module.run !== 'function') throw new Error(`${file} must export name and run({ budgetMs, rng })`);
    if (!only || module.name === only) targets.push({ file, name: module.name, run: module.run });
  }
  return targets;
}

/** Run every target with its share of the budget; each gets its own generator derived from the seed. */
export async function fuzz({ budgetMs, seed, only }) {
  const targets = await loadTargets(only);
  const rng = new Rng(seed);
  const share = targets.length ? budgetMs / targets.length : 0;
  const results = [];
  for (const target of targets) {
    const started = performance.now();
    const targetRng = rng.fork();
    let failures;
    try {
      const out = await target.run({ budgetMs: share, rng: targetRng });
      failures = Array.isArray(out) ? out : (out?.failures ?? []);
    } catch (error) {
      failures = [{ target: target.name, message: `target crashed: ${error?.stack ?? error}` }];
    }
    results.push({ name: target.name, ms: Math.round(performance.now() - started), failures });
  }
  return results;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const results = await fuzz(args);
  let failed = 0;
  for (const r of results) {
    failed += r.failures.length;
    console.log(`${r.failures.length ? 'FAIL' : 'ok  '} ${r.name} (${r.ms} ms)`);
    for (const f of r.failures) console.log(`     ${f.message}${f.input ? `\n     input (base64): ${f.input.slice(0, 2000)}` : ''}`);
  }
  console.log(`seed ${args.seed}, budget ${args.budgetMs} ms, ${results.length} targets, ${failed} failures`);
  process.exitCode = failed ? 1 : 0;
}
