/**
 * The loop shared by the container targets: build a seed holding a payload pickle (or a benign
 * one), scan it as is (a payload must make it malicious: the container hides nothing), then scan
 * mutations of it (no stack trace, bounded time and memory).
 */
import { scanModelBytes } from '../../dist/scan/model/index.js';
import { mutate } from './bytes.mjs';
import { failure, guarded, loop } from './harness.mjs';
import { benignPickle, payloadPickle } from './pickles.mjs';
import { cpythonImports, DANGEROUS } from './unpickler-oracle.mjs';

/** True when CPython's unpickler would import a dangerous callable from this pickle. */
function dangerous(pickle) {
  return cpythonImports(pickle, 'bytes').imports.some(([m, n]) => DANGEROUS.has(`${m}.${n}`));
}

export async function containerTarget(name, { budgetMs, rng }, { build, fileName, maxMs }) {
  const pool = [];
  const { failures } = await loop(budgetMs, async () => {
    const evil = rng.chance(0.7);
    const pickle = evil ? payloadPickle(rng) : benignPickle(rng);
    const seed = await build(rng, pickle);
    pool.push(seed);
    if (pool.length > 16) pool.shift();
    const file = fileName(rng);
    const clean = await guarded(name, seed, () => scanModelBytes(seed, file, { hash: false }), { maxMs });
    if (!clean.ok) return clean.failure;
    if (evil && dangerous(pickle) && clean.value.verdict !== 'malicious') {
      return failure(name, `a ${name} holding a pickle that imports a dangerous callable is ${clean.value.verdict}: ${clean.value.findings.map((f) => f.rule).join(', ')}`, seed);
    }
    const input = mutate(rng, seed, pool);
    const out = await guarded(name, input, () => scanModelBytes(input, file, { hash: false }), { maxMs });
    return out.ok ? undefined : out.failure;
  });
  return failures;
}
