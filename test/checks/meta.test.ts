import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../../src/audit/catalogue.js';
import { inputErrors } from '../../src/audit/inputErrors.js';
import { CHECKS, registryProblems } from '../../src/checks/index.js';
import { markdown } from '../../src/cli/checks.js';
import { ROOT } from '../helpers/shared.js';
import { E2E_CASES } from './e2eCases.js';

/** style.md rule 8: the registry, the docs, the unit tests and the e2e cases stay in step. */
const testFiles = readdirSync(join(ROOT, 'test/checks')).filter((f) => f.endsWith('.test.ts'));
const unitTestOf = (id: string): string | undefined => testFiles.find((f) => f.slice(0, -'.test.ts'.length).toLowerCase() === id.replace(/_/g, '').toLowerCase());

describe('posture check registry', () => {
  it('passes its own invariants (unique sorted ids, complete metadata, default params valid)', () => {
    expect(registryProblems()).toEqual([]);
  });

  for (const { meta } of CHECKS) {
    it(`${meta.id}: metadata, catalogue entry, unit test file, e2e case`, () => {
      expect(meta.title.length).toBeGreaterThan(0);
      expect(meta.description.length).toBeGreaterThan(80);
      expect(meta.remediation).toMatch(/\.$/);
      expect(catalogue().find((e) => e.id === meta.id)).toMatchObject({ title: meta.title, severity: meta.severity, remediation: meta.remediation });
      const unit = unitTestOf(meta.id);
      expect(unit, `test/checks/<camelName>.test.ts for ${meta.id}`).toBeDefined();
      expect(readFileSync(join(ROOT, 'test/checks', unit!), 'utf8')).toMatch(/testCheck\(\w+, \{/);
      expect(E2E_CASES[meta.id], `an e2e case in test/checks/e2eCases.ts for ${meta.id}`).toBeDefined();
    });
  }

  it('has no e2e case for a check that does not exist', () => {
    const ids = new Set(CHECKS.map((c) => c.meta.id));
    expect(Object.keys(E2E_CASES).filter((id) => !ids.has(id))).toEqual([]);
  });
});

describe('docs/checks.md', () => {
  it('is what `npm run docs` generates from the metadata (run it when this fails)', () => {
    const file = join(ROOT, 'docs/checks.md');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(markdown(catalogue(), inputErrors()));
  });
});
