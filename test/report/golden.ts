import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export const GOLDEN_DIR = new URL('./golden/', import.meta.url);

/**
 * Compare with the reviewed golden file; `UPDATE_GOLDEN=1` rewrites it instead. A missing golden
 * fails, so a new scenario cannot pass before someone has read its output.
 */
export function expectGolden(name: string, actual: string): void {
  const url = new URL(name, GOLDEN_DIR);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(url, actual);
    return;
  }
  expect(existsSync(url), `golden ${name} is missing; run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}
