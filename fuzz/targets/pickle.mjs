/**
 * Pickles with payloads, mutated byte-wise and opcode-wise. For each input: no throw, bounded time
 * and memory; and when the reference loader model (lib/unpickler-oracle.mjs) says CPython's
 * unpickler imports a dangerous callable before it stops, the verdict must be malicious.
 */
import { scanModelBytes } from '../../dist/scan/model/index.js';
import { mutate } from '../lib/bytes.mjs';
import { failure, guarded, loop } from '../lib/harness.mjs';
import { benignPickle, payloadPickle } from '../lib/pickles.mjs';
import { cpythonImports, DANGEROUS } from '../lib/unpickler-oracle.mjs';

export const name = 'pickle';

export async function run({ budgetMs, rng }) {
  const pool = [];
  const { failures } = await loop(budgetMs, async () => {
    const seed = rng.chance(0.8) ? payloadPickle(rng) : benignPickle(rng);
    pool.push(seed);
    if (pool.length > 64) pool.shift();
    const input = rng.chance(0.3) ? seed : mutate(rng, seed, pool);
    const out = await guarded(name, input, () => scanModelBytes(input, rng.pick(['model.pkl', 'pytorch_model.bin', 'x.joblib']), { hash: false }));
    if (!out.ok) return out.failure;
    // pickle.loads(bytes) and pickle.load(file) differ on broken frames: both loaders are real
    for (const mode of ['bytes', 'file']) {
      const oracle = cpythonImports(input, mode);
      const dangerous = oracle.imports.map(([m, n]) => `${m}.${n}`).filter((g) => DANGEROUS.has(g));
      if (dangerous.length > 0 && out.value.verdict !== 'malicious') {
        return failure(name, `CPython's unpickler (${mode}) would import ${dangerous.join(', ')} (${oracle.stopped ? 'load completes' : `then stops: ${oracle.error}`}), verdict is ${out.value.verdict}: ${out.value.findings.map((f) => f.rule).join(', ')}`, input);
      }
    }
    return undefined;
  });
  return failures;
}
