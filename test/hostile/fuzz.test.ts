import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The hostile-input fuzz targets (fuzz/targets/{manifests,dockerfiles,oci}.mjs) at a small budget,
 * with a fixed seed, so CI runs them on every change; `npm run fuzz` runs them longer. They import
 * the built dist/, which `npm test` builds first.
 */
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** The runner's generator interface (mulberry32), for running a target without the runner. */
class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(256));
  }
  fork(): Rng {
    return new Rng(this.int(0x100000000));
  }
}

type Target = { name: string; run(options: { budgetMs: number; rng: Rng }): Promise<{ message: string }[]> };

describe('hostile-input fuzz targets', () => {
  for (const file of ['manifests', 'dockerfiles', 'oci']) {
    it(`${file}: no stack trace, bounded time and memory, positions and paths stay inside the input`, async () => {
      expect(existsSync(`${repo}dist/core/load.js`), 'build first: npm run build').toBe(true);
      const target = (await import(pathToFileURL(`${repo}fuzz/targets/${file}.mjs`).href)) as Target;
      expect(target.name).toBe(file);
      const failures = await target.run({ budgetMs: 4_000, rng: new Rng(0x5eed + file.length) });
      expect(failures.map((f) => f.message)).toEqual([]);
    }, 120_000);
  }
});
