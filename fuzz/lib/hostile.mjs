/**
 * Helpers for the hostile-input targets (manifests, Dockerfiles, OCI layouts), kept apart from fuzz/targets/ (every module there is a target) so the
 * targets need nothing but the runner's interface: run({ budgetMs, rng }) returns failures
 * ({ target, message, input? (base64) }).
 */
import { writeFileSync } from 'node:fs';

export const MAX_MS = 5_000;
export const MAX_RSS = 1024 * 1024 * 1024;

export function failure(target, message, input) {
  return { target, message, ...(input !== undefined ? { input: Buffer.from(input).toString('base64') } : {}) };
}

/** Run fn on one input: no throw, within maxMs, RSS under maxRss. */
export async function check(target, input, fn, maxMs = MAX_MS) {
  // A hang never comes back here to be reported: FUZZ_TRACE=FILE keeps the input being run, to reproduce one.
  if (process.env.FUZZ_TRACE) writeFileSync(process.env.FUZZ_TRACE, input);
  const started = performance.now();
  let value;
  try {
    value = await fn();
  } catch (error) {
    return { failure: failure(target, `threw: ${error?.stack ? error.stack.split('\n').slice(0, 4).join(' | ') : String(error)}`, input) };
  }
  const ms = performance.now() - started;
  if (ms > maxMs) return { failure: failure(target, `took ${Math.round(ms)} ms (limit ${maxMs} ms)`, input) };
  const rss = process.memoryUsage().rss;
  if (rss > MAX_RSS) return { failure: failure(target, `RSS ${Math.round(rss / 1048576)} MB (limit ${MAX_RSS / 1048576} MB)`, input) };
  return { value };
}

/** Step until the budget is spent (at least once), collecting up to 20 failures. */
export async function loop(budgetMs, step) {
  const failures = [];
  const deadline = performance.now() + budgetMs;
  let runs = 0;
  while ((runs === 0 || performance.now() < deadline) && failures.length < 20) {
    const out = await step(runs++);
    if (out) failures.push(out);
  }
  return failures;
}

/** Text mutations: flip, insert, delete, duplicate a slice, splice from another seed. */
export function mutateText(rng, text, pool, alphabet) {
  let out = text;
  const n = 1 + rng.int(4);
  for (let k = 0; k < n; k++) {
    const at = rng.int(out.length + 1);
    switch (rng.int(6)) {
      case 0:
        out = out.slice(0, at) + rng.pick(alphabet) + out.slice(at + 1);
        break;
      case 1:
        out = out.slice(0, at) + rng.pick(alphabet) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(at + 1 + rng.int(20));
        break;
      case 3: {
        const len = rng.int(40);
        out = out.slice(0, at) + out.slice(at, at + len).repeat(1 + rng.int(4)) + out.slice(at);
        break;
      }
      case 4: {
        const other = rng.pick(pool);
        const from = rng.int(other.length + 1);
        out = out.slice(0, at) + other.slice(from, from + rng.int(80)) + out.slice(at);
        break;
      }
      default:
        out = out.slice(0, at);
    }
  }
  return out;
}
