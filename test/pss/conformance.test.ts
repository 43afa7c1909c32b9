import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { denialMessage, evaluatePodSpec, parseLevel } from '../../src/pss/index.js';
import { ALL_CHECKS } from '../../src/pss/checks/index.js';
import { minorOf } from '../../src/pss/version.js';
import { SHARED } from '../helpers/shared.js';

/**
 * The shared 75 % of upstream's pod-security-admission fixtures (../shared/conformance/pss), run
 * in place and unchanged: every file must get its expected verdict at exactly its level and
 * version, and every denial must carry upstream's expected substring. No skip list.
 */

interface Fixture {
  file: string;
  level: string;
  version: string;
  expect: 'allowed' | 'denied';
  check: string | null;
  reasonSubstring?: string;
}

const ROOT = join(SHARED, 'conformance/pss');
const fixtures = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as Fixture[];

/** Restricted checks that replace a baseline check at a version (restrictedVolumes replaces hostPathVolumes…). */
function overridersOf(check: string, version: string): string[] {
  const minor = minorOf(version) ?? 0;
  return ALL_CHECKS.filter((c) => {
    const active = c.versions.filter((v) => (minorOf(v.minimumVersion) ?? 0) <= minor).at(-1);
    return active?.overrides?.includes(check) ?? false;
  }).map((c) => c.id);
}

function evaluateFixture(fixture: Fixture) {
  const pod = parse(readFileSync(join(ROOT, fixture.file), 'utf8')) as { metadata?: Record<string, string>; spec?: unknown };
  const level = parseLevel(fixture.level);
  if (!level) throw new Error(`bad level in index.json: ${fixture.level}`);
  return evaluatePodSpec(pod.metadata ?? {}, pod.spec, { level, version: fixture.version });
}

describe('upstream PSS conformance fixtures', () => {
  it('the index holds all 3,394 shared fixtures', () => {
    expect(fixtures).toHaveLength(3394);
  });

  it('every fixture gets its expected verdict and denial substring', () => {
    const failures: string[] = [];
    for (const fixture of fixtures) {
      const evaluation = evaluateFixture(fixture);
      expect(evaluation.version).toBe(fixture.version);
      const verdict = evaluation.allowed ? 'allowed' : 'denied';
      if (verdict !== fixture.expect) {
        failures.push(`${fixture.file}: expected ${fixture.expect}, got ${verdict} ${denialMessage(evaluation)}`);
        continue;
      }
      const substring = fixture.reasonSubstring;
      if (substring !== undefined && !evaluation.violations.some((v) => v.reason.includes(substring) || v.detail.includes(substring))) {
        failures.push(`${fixture.file}: no violation mentions ${JSON.stringify(substring)}: ${denialMessage(evaluation)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('a fixture made to fail one check is denied by that check', () => {
    const misattributed: string[] = [];
    for (const fixture of fixtures) {
      if (fixture.expect !== 'denied' || fixture.check === null) continue;
      const checks = evaluateFixture(fixture).violations.map((v) => v.check);
      const accepted = [fixture.check, ...(fixture.level === 'restricted' ? overridersOf(fixture.check, fixture.version) : [])];
      if (!checks.some((check) => accepted.includes(check))) misattributed.push(`${fixture.file}: ${checks.join(', ')}`);
    }
    expect(misattributed).toEqual([]);
  });
});
