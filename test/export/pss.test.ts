import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportPss, untranslatedChecks, type ExportedPolicy } from '../../src/export/index.js';
import { evaluatePodSpec, LATEST_VERSION, PSS_CHECKS, pssCheckId, type CheckLevel } from '../../src/pss/index.js';
import { minorOf, versionOf } from '../../src/pss/version.js';
import { BUILTIN_WORKLOADS } from '../../src/workloads/index.js';
import { SHARED } from '../helpers/shared.js';
import { evaluatePolicy } from './harness.js';

/**
 * The acceptance test of the PSS export: every pod of the shared conformance corpus, at every level
 * and every policy version v1.0 … latest, gets the same verdict from the exported CEL (evaluated
 * with @bufbuild/cel) as from palisade's own evaluator, check by check.
 */

interface Fixture {
  file: string;
}

const ROOT = join(SHARED, 'conformance/pss');
const fixtures = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as Fixture[];
const LATEST_MINOR = minorOf(LATEST_VERSION)!;
const VERSIONS = [...Array.from({ length: LATEST_MINOR + 1 }, (_, minor) => versionOf(minor)), 'latest'];
const LEVELS: CheckLevel[] = ['baseline', 'restricted'];

/** Distinct pods (the corpus repeats the same pod across versions under different file names). */
function distinctPods(): Array<{ file: string; pod: Record<string, unknown> }> {
  const seen = new Map<string, { file: string; pod: Record<string, unknown> }>();
  for (const { file } of fixtures) {
    const pod = parse(readFileSync(join(ROOT, file), 'utf8')) as Record<string, unknown>;
    const { name: _name, ...metadata } = (pod.metadata ?? {}) as Record<string, unknown>;
    const key = JSON.stringify({ ...pod, metadata });
    if (!seen.has(key)) seen.set(key, { file, pod });
  }
  return [...seen.values()];
}

const policyCache = new Map<string, ExportedPolicy>();
function policyAt(level: CheckLevel, version: string): ExportedPolicy {
  const key = `${level}|${version}`;
  let policy = policyCache.get(key);
  if (!policy) {
    const bundle = exportPss({ pss: { level, version, mode: 'enforce' }, workloads: BUILTIN_WORKLOADS, configExemptions: [] });
    policy = bundle.policies[0]!;
    policyCache.set(key, policy);
  }
  return policy;
}

describe('PSS export: CEL translation of every check', () => {
  it('every PSS check has a translator', () => {
    expect(untranslatedChecks()).toEqual([]);
    expect(PSS_CHECKS.length).toBe(19);
  });

  it('each level and version exports exactly the checks in force, in message order', () => {
    for (const level of LEVELS) {
      for (const version of VERSIONS) {
        const failing = evaluatePodSpec({}, { containers: [{ name: 'x', securityContext: { privileged: true } }] }, { level, version });
        expect(failing.violations.map((v) => v.check)).toContain('privileged');
        const ids = policyAt(level, version).validations.map((v) => v.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).toContain(pssCheckId('privileged'));
      }
    }
  });
});

describe('PSS export agrees with palisade on the whole conformance corpus', () => {
  const pods = distinctPods();

  it(`every distinct pod (${pods.length}) at both levels and all ${VERSIONS.length} versions`, () => {
    expect(pods.length).toBeGreaterThan(300);
    let cases = 0;
    let denials = 0;
    const disagreements: string[] = [];
    for (const { file, pod } of pods) {
      // Validations repeat across versions verbatim; a pod's verdict per expression is evaluated once.
      const memo = new Map<string, boolean>();
      for (const level of LEVELS) {
        for (const version of VERSIONS) {
          const own = evaluatePodSpec((pod.metadata ?? {}) as Record<string, never>, pod.spec, { level, version });
          const expected = own.violations.map((v) => pssCheckId(v.check)).sort();
          const decision = evaluatePolicy(policyAt(level, version), pod, undefined, memo);
          const actual = [...decision.failed].sort();
          cases++;
          if (expected.length > 0) denials++;
          if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push(`${file} ${level}:${version}: palisade ${expected.join(',') || 'allowed'}, CEL ${actual.join(',') || 'allowed'}`);
        }
      }
    }
    expect(disagreements.slice(0, 20)).toEqual([]);
    expect(cases).toBe(pods.length * LEVELS.length * VERSIONS.length);
    expect(denials).toBeGreaterThan(cases / 4);
  });
});
