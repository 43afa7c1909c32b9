import { describe, expect, it } from 'vitest';
import { decodePodMeta, decodePodSpec } from '../../src/pss/podSpec.js';
import type { CheckResult, FieldRef, PssCheck } from '../../src/pss/types.js';
import { minorOf } from '../../src/pss/version.js';

/**
 * Table tests for one PSS check, in the style of upstream's check_*_test.go: each case gives a pod
 * (spec and annotations as written), the policy version, and either `allowed` or the exact reason,
 * detail and offending fields. Inputs are deep-frozen, so a check that mutates its input fails.
 */

export interface CheckCase {
  name: string;
  spec: unknown;
  annotations?: Record<string, string>;
  /** Policy version the check runs at; defaults to the check's newest version. */
  version?: string;
  expected: 'allowed' | { reason: string; detail: string; fields: Array<FieldRef | string> };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The check's behaviour at a policy version, or undefined before its first version. */
export function checkAt(check: PssCheck, version: string): PssCheck['versions'][number] | undefined {
  const minor = minorOf(version);
  if (minor === undefined) throw new Error(`bad version in test: ${version}`);
  return check.versions.filter((v) => (minorOf(v.minimumVersion) ?? Infinity) <= minor).at(-1);
}

export function runCheck(check: PssCheck, version: string, spec: unknown, annotations: Record<string, string> = {}): CheckResult {
  const active = checkAt(check, version);
  if (!active) throw new Error(`${check.id} does not exist at ${version}`);
  const frozenSpec = deepFreeze(structuredClone(spec));
  const meta = deepFreeze({ annotations: structuredClone(annotations) });
  return active.evaluate(decodePodMeta(meta), decodePodSpec(frozenSpec));
}

/** A bare string field is a spec pointer. */
const toField = (field: FieldRef | string): FieldRef => (typeof field === 'string' ? { in: 'spec', pointer: field } : field);

export function checkTable(check: PssCheck, cases: readonly CheckCase[]): void {
  const names = cases.map((c) => c.name);
  describe(check.id, () => {
    it('has no duplicate case names', () => {
      expect(new Set(names).size).toBe(names.length);
    });
    for (const testCase of cases) {
      const version = testCase.version ?? check.versions.at(-1)!.minimumVersion;
      it(`${testCase.name} (${version})`, () => {
        const result = runCheck(check, version, testCase.spec, testCase.annotations);
        if (testCase.expected === 'allowed') {
          expect(result).toEqual({ allowed: true });
        } else {
          expect(result).toEqual({
            allowed: false,
            reason: testCase.expected.reason,
            detail: testCase.expected.detail,
            fields: testCase.expected.fields.map(toField),
          });
        }
      });
    }
  });
}

/** A container with a securityContext, the way upstream's tests build them. */
export function container(name: string, securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, image: 'registry.k8s.io/pause', ...(securityContext === undefined ? {} : { securityContext }), ...extra };
}
