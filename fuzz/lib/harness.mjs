/**
 * What every target checks on each input: the call neither throws nor rejects (a stack trace is a
 * failure), it ends within `maxMs`, and the process stays under `maxRssBytes`. Targets add their own
 * assertions and return failures as { target, message, input? } objects.
 */
export const DEFAULT_MAX_MS = 5_000;
export const DEFAULT_MAX_RSS = 1024 * 1024 * 1024;

export function failure(target, message, input) {
  return { target, message, ...(input !== undefined ? { input: Buffer.from(input).toString('base64') } : {}) };
}

/**
 * Run `fn()` on one input. Returns `{ ok: true, value, ms }` or `{ ok: false, failure }`.
 */
export async function guarded(target, input, fn, { maxMs = DEFAULT_MAX_MS, maxRssBytes = DEFAULT_MAX_RSS } = {}) {
  const started = performance.now();
  let value;
  try {
    value = await fn();
  } catch (error) {
    return { ok: false, failure: failure(target, `threw: ${error && error.stack ? error.stack.split('\n').slice(0, 4).join(' | ') : String(error)}`, input) };
  }
  const ms = performance.now() - started;
  if (ms > maxMs) return { ok: false, failure: failure(target, `took ${Math.round(ms)} ms (limit ${maxMs} ms)`, input) };
  const rss = process.memoryUsage().rss;
  if (rss > maxRssBytes) return { ok: false, failure: failure(target, `RSS ${Math.round(rss / 1048576)} MB (limit ${Math.round(maxRssBytes / 1048576)} MB)`, input) };
  return { ok: true, value, ms };
}

/** Loop `step(i)` until the budget is spent (at least `min` times); collects failures, stops after `maxFailures`. */
export async function loop(budgetMs, step, { min = 1, maxFailures = 20 } = {}) {
  const failures = [];
  const deadline = performance.now() + budgetMs;
  let runs = 0;
  while ((runs < min || performance.now() < deadline) && failures.length < maxFailures) {
    const out = await step(runs);
    if (out) failures.push(...(Array.isArray(out) ? out : [out]));
    runs++;
  }
  return { failures, runs };
}
