import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules, catalogue } from '../../src/audit/catalogue.js';
import { markdown } from '../../src/cli/checks.js';
import { inputErrors } from '../../src/audit/inputErrors.js';
import { ruleProblems, type Rule } from '../../src/core/rule.js';
import { PSS_RULES } from '../../src/pss/ruleset.js';
import { ROOT, SHARED } from '../helpers/shared.js';

/**
 * style.md rule 8 over every family: one registry whose rules are valid, docs generated from it,
 * and a unit test for every rule. (Posture checks also need their own test file and CLI case:
 * test/checks/meta.test.ts.)
 */
const rules = allRules();

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? testFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}
// Tests that only list ids (this file, the snapshot, the e2e tables) do not count as unit tests.
const NOT_UNIT = /(^|\/)(rules\/|behaviour\/|checks\/e2eCases\.ts|checks\/meta\.test\.ts)/;
const sources = testFiles(join(ROOT, 'test'))
  .filter((f) => !NOT_UNIT.test(relative(join(ROOT, 'test'), f)))
  .map((f) => readFileSync(f, 'utf8'));
const CHECK_TEST_FILES = new Set(readdirSync(join(ROOT, 'test/checks')).map((f) => f.toLowerCase()));
const camel = (id: string): string => id.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Families whose rules another suite judges as a whole, with the suite: the per-rule check applies
 * once they name their ids in tests (their owners decide; listed here so it is visible).
 */
const JUDGED_AS_A_WHOLE: Partial<Record<Rule['family'], string>> = {
  auditlog: "test/auditlog/corpus.test.ts replays Falco's own expectations for the bundled rules by Falco rule name; test/auditlog/ml-rules.test.ts covers palisade's detections by name",
};

/** Kubescape controls test/rbac/corpusKubescape.test.ts checks subject by subject against upstream's fixtures. */
const KUBESCAPE_CORPUS_CONTROLS = new Set((JSON.parse(readFileSync(join(SHARED, 'corpus/rbac/index.json'), 'utf8')) as Array<{ tool: string; controls: string[] }>).filter((c) => c.tool === 'kubescape').flatMap((c) => c.controls));

/**
 * The unit test of a rule, by family: PSS by its upstream check's test file, posture by its own file,
 * RBAC also by a Kubescape control the upstream corpus exercises, others by naming the id.
 */
function hasUnitTest(rule: Rule): boolean {
  if (JUDGED_AS_A_WHOLE[rule.family]) return true;
  if (rule.family === 'rbac' && (rule.frameworks.kubescape ?? []).some((c) => KUBESCAPE_CORPUS_CONTROLS.has(c))) return true;
  if (rule.family === 'pss') return existsSync(join(ROOT, 'test/pss/checks', `${PSS_RULES.find((r) => r.id === rule.id)!.check}.test.ts`));
  // by name, case aside (MEMORY_EMPTYDIR_UNBOUNDED is tested in memoryEmptyDirUnbounded.test.ts)
  if (rule.family === 'audit' && CHECK_TEST_FILES.has(`${camel(rule.id)}.test.ts`.toLowerCase())) return true;
  const word = new RegExp(`\\b${rule.id}\\b`);
  return sources.some((s) => word.test(s));
}

/**
 * The end-to-end case of a rule: a fixture run through the CLI whose report carries the id. Two
 * sources: the behaviour snapshot (the CLI over the shared corpora, fixtures and examples; its
 * ids.json is checked against the reports by test/behaviour/snapshot.test.ts), and test files that
 * run the CLI (`palisade(...)`, `runCli(...)`) and name the id, such as test/checks/e2eCases.ts.
 */
const SNAPSHOT_IDS = new Set(Object.keys(JSON.parse(readFileSync(join(ROOT, 'test/behaviour/ids.json'), 'utf8')) as Record<string, string>));
const CLI_TESTS = testFiles(join(ROOT, 'test'))
  .filter((f) => !/(^|\/)rules\//.test(relative(join(ROOT, 'test'), f)))
  .map((f) => readFileSync(f, 'utf8'))
  .filter((text) => /\bpalisade\(|\brunCli\(|dist\/cli\/main\.js|E2E_CASES/.test(text));
const E2E_TABLE = readFileSync(join(ROOT, 'test/checks/e2eCases.ts'), 'utf8');

function hasE2eCase(rule: Rule): boolean {
  if (JUDGED_AS_A_WHOLE[rule.family]) return true;
  if (SNAPSHOT_IDS.has(rule.id)) return true;
  const word = new RegExp(`\\b${rule.id}\\b`);
  return word.test(E2E_TABLE) || CLI_TESTS.some((s) => word.test(s));
}

/** Rules no end-to-end case produces yet, by family, with why; the list may only shrink. */
const NO_E2E_CASE_YET: Record<string, string> = {
};

/** Rules no unit test names yet, each with why; the list may only shrink (a test below fails when an entry is stale). */
const NO_UNIT_TEST_YET: Record<string, string> = {
};

describe('the rule registry (every family)', () => {
  it('is valid: unique UPPER_SNAKE ids across families, complete text, remediations end with a period, messages, params', () => {
    expect(ruleProblems(rules)).toEqual([]);
  });

  it('lists every rule once in `checks list`', () => {
    expect(catalogue().map((e) => e.id)).toEqual(rules.map((r) => r.id));
  });

  it('documents every rule: docs/checks.md is what `npm run docs` generates (run it when this fails)', () => {
    expect(readFileSync(join(ROOT, 'docs/checks.md'), 'utf8')).toBe(markdown(catalogue(), inputErrors()));
  });

  it('names the ids reports carry outside the engines’ rule lists (they were missing from the docs)', () => {
    const ids = new Set(rules.map((r) => r.id));
    for (const id of ['WORKLOAD_DISCOVERED', 'HARDEN_NEEDS_HUMAN', 'REPORT_VULNERABILITY', 'NETPOL_INTENT_BROKEN', 'NETPOL_DIFF_OPENS_MODEL_SERVER', 'DOCKERFILE_NO_FROM', 'MODEL_MALICIOUS', 'MODEL_SUSPICIOUS', 'MODEL_INVALID', 'MODEL_UNSUPPORTED', 'PICKLE_DENYLISTED_GLOBAL']) expect(ids.has(id), id).toBe(true);
  });

  for (const rule of rules) {
    if (NO_UNIT_TEST_YET[rule.id]) continue;
    it(`${rule.id} (${rule.family}) has a unit test`, () => {
      expect(hasUnitTest(rule)).toBe(true);
    });
  }

  for (const rule of rules) {
    if (NO_E2E_CASE_YET[rule.id]) continue;
    it(`${rule.id} (${rule.family}) has an end-to-end case (a CLI run whose report carries it)`, () => {
      expect(hasE2eCase(rule)).toBe(true);
    });
  }

  it('lists no rule as without an end-to-end case that has one or no longer exists', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(Object.keys(NO_E2E_CASE_YET).filter((id) => !ids.has(id) || hasE2eCase(rules.find((r) => r.id === id)!))).toEqual([]);
  });

  it('lists no rule as untested that has a test or no longer exists', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(Object.keys(NO_UNIT_TEST_YET).filter((id) => !ids.has(id) || hasUnitTest(rules.find((r) => r.id === id)!))).toEqual([]);
  });
});
