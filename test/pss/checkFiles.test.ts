import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/pss/checks/index.js';
import { ROOT } from '../helpers/shared.js';

/** Every check has its own source file named by its ID, a header comment, and a table test. */
describe('PSS check files', () => {
  const checksDir = join(ROOT, 'src/pss/checks');

  it('one source file per check, and no stray files', () => {
    const files = readdirSync(checksDir).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    expect(files.sort()).toEqual(ALL_CHECKS.map((c) => `${c.id}.ts`).sort());
  });

  it.each(ALL_CHECKS.map((c) => c.id))('%s has a header listing restricted fields and allowed values, and a unit test', (id) => {
    const source = readFileSync(join(checksDir, `${id}.ts`), 'utf8');
    expect(source).toMatch(/Restricted fields/);
    expect(source).toMatch(/Allowed values/);
    expect(existsSync(join(ROOT, 'test/pss/checks', `${id}.test.ts`))).toBe(true);
  });
});
