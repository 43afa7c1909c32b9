import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/pss/checks/index.js';
import { denialMessage, evaluatePodSpec, LATEST_VERSION } from '../../src/pss/index.js';
import type { CheckLevel } from '../../src/pss/types.js';
import { minorOf, versionOf } from '../../src/pss/version.js';
import { ROOT } from '../helpers/shared.js';
import { generateCases } from './golden/generators.js';

/**
 * Golden fixtures (style rule 7): the pods that golden/generators.ts builds for every level and
 * version, with what the evaluator says about each, in test/pss/testdata/<level>/v1.<minor>.txt.
 * Generated pass pods must be allowed and fail pods denied by their check (or the restricted check
 * that overrides it); any change in wording, order or verdict shows up as a diff. Missing and
 * extra files both fail. `UPDATE_GOLDEN=1 npx vitest run test/pss/golden.test.ts` rewrites them.
 */

const TESTDATA = join(ROOT, 'test/pss/testdata');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const LEVELS: readonly CheckLevel[] = ['baseline', 'restricted'];
const NEWEST = minorOf(LATEST_VERSION) ?? 0;
const levelOf = (id: string) => ALL_CHECKS.find((c) => c.id === id)?.level;

/** The restricted checks in effect at a minor version that replace `check`. */
function overridersOf(check: string, minor: number): string[] {
  return ALL_CHECKS.filter((c) => c.versions.filter((v) => (minorOf(v.minimumVersion) ?? 0) <= minor).at(-1)?.overrides?.includes(check)).map((c) => c.id);
}

function render(level: CheckLevel, minor: number): { text: string; problems: string[] } {
  const version = versionOf(minor);
  const problems: string[] = [];
  const lines = [`# ${level} ${version}: generated from test/pss/golden/generators.ts; UPDATE_GOLDEN=1 rewrites this file`];
  for (const generated of generateCases(level, minor, levelOf)) {
    const evaluation = evaluatePodSpec({ annotations: generated.pod.annotations }, generated.pod.spec, { level, version });
    const verdict = evaluation.allowed ? 'allowed' : 'denied';
    if (verdict !== generated.expect) problems.push(`${level} ${version} ${generated.name}: expected ${generated.expect}, got ${denialMessage(evaluation) || 'allowed'}`);
    if (!evaluation.allowed && generated.check !== null) {
      const accepted = [generated.check, ...(level === 'restricted' ? overridersOf(generated.check, minor) : [])];
      if (!evaluation.violations.some((v) => accepted.includes(v.check))) problems.push(`${level} ${version} ${generated.name}: not denied by ${accepted.join(' or ')}`);
    }
    lines.push(`${generated.name}: ${evaluation.allowed ? 'allowed' : denialMessage(evaluation)}`);
  }
  return { text: `${lines.join('\n')}\n`, problems };
}

describe('PSS golden fixtures', () => {
  const expectedFiles = LEVELS.flatMap((level) => Array.from({ length: NEWEST + 1 }, (_, minor) => `${level}/${versionOf(minor)}.txt`));

  it('generated pods get the verdict their generator promises', () => {
    const problems = LEVELS.flatMap((level) => Array.from({ length: NEWEST + 1 }, (_, minor) => render(level, minor).problems)).flat();
    expect(problems).toEqual([]);
  });

  it('every golden file matches, with none missing and none extra', () => {
    const drift: string[] = [];
    for (const level of LEVELS) {
      mkdirSync(join(TESTDATA, level), { recursive: true });
      for (let minor = 0; minor <= NEWEST; minor++) {
        const file = join(TESTDATA, level, `${versionOf(minor)}.txt`);
        const { text } = render(level, minor);
        if (UPDATE) writeFileSync(file, text);
        let actual: string | undefined;
        try {
          actual = readFileSync(file, 'utf8');
        } catch {
          actual = undefined;
        }
        if (actual !== text) drift.push(`${level}/${versionOf(minor)}.txt ${actual === undefined ? 'is missing' : 'differs'}`);
        else expect(actual).toBe(text);
      }
    }
    const present = LEVELS.flatMap((level) => readdirSync(join(TESTDATA, level)).map((f) => `${level}/${f}`));
    const extra = present.filter((f) => !expectedFiles.includes(f));
    expect(extra, 'extra golden files').toEqual([]);
    expect(drift, 'run UPDATE_GOLDEN=1 npx vitest run test/pss/golden.test.ts and review the diff').toEqual([]);
  });
});
