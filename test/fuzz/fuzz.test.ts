import { describe, expect, it } from 'vitest';
import { fuzz, loadTargets, parseArgs } from '../../fuzz/run.mjs';

// The fuzz targets at a small budget on every CI run (npm run fuzz gives them minutes). They load
// dist/, which `npm test` builds first.
describe('npm run fuzz', () => {
  it('parses its options', () => {
    expect(parseArgs(['--budget-ms', '1500', '--seed=7'])).toEqual({ budgetMs: 1500, seed: 7, only: undefined });
    expect(() => parseArgs(['--budget', '1'])).toThrow(/unknown option/);
  });

  it('every target loads and exports a name and run()', async () => {
    const targets = await loadTargets();
    expect(targets.length).toBeGreaterThan(0);
    expect(new Set(targets.map((t) => t.name)).size).toBe(targets.length);
  });

  it('every target passes at a small budget with a fixed seed', async () => {
    const targets = await loadTargets();
    const results = await fuzz({ budgetMs: 600 * targets.length, seed: 20261206 });
    expect(results.map((r) => [r.name, r.failures])).toEqual(targets.map((t) => [t.name, []]));
  }, 120_000);
});
