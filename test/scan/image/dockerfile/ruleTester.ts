import { expect, it } from 'vitest';
import { readDockerfile } from '../../../../src/scan/image/dockerfile/model.js';
import type { DockerfileRule } from '../../../../src/scan/image/dockerfile/rule.js';

export interface ExpectedReport {
  messageId: string;
  line: number;
  column: number;
  data?: Record<string, string | number>;
}

export interface RuleCases {
  /** Dockerfiles on which the rule must not fire. */
  valid: string[];
  invalid: Array<{ code: string; errors: ExpectedReport[] }>;
}

/**
 * Table tests for one Dockerfile rule, in the manner of eslint's RuleTester: exact report counts,
 * messageIds that exist in meta, exact positions, no duplicate cases, a remediation that ends
 * with a period.
 */
export function testRule(rule: DockerfileRule, cases: RuleCases): void {
  it(`${rule.meta.id}: meta is complete`, () => {
    expect(rule.meta.title).not.toBe('');
    expect(rule.meta.description).not.toBe('');
    expect(rule.meta.remediation).toMatch(/\.$/);
    const codes = [...cases.valid, ...cases.invalid.map((c) => c.code)];
    expect(new Set(codes).size).toBe(codes.length);
    expect(cases.invalid.length).toBeGreaterThan(0);
    expect(cases.valid.length).toBeGreaterThan(0);
  });
  cases.valid.forEach((code, i) => {
    it(`${rule.meta.id}: dont-fire #${i}`, () => {
      expect(rule.check(readDockerfile('Dockerfile', code))).toEqual([]);
    });
  });
  cases.invalid.forEach(({ code, errors }, i) => {
    it(`${rule.meta.id}: fires #${i}`, () => {
      const reports = rule.check(readDockerfile('Dockerfile', code)).map((report) => {
        expect(Object.keys(rule.meta.messages)).toContain(report.messageId);
        const position = report.position ?? report.instruction.positionAt(report.argsIndex ?? -1);
        return { messageId: report.messageId, line: position.line, column: position.column, ...(report.data ? { data: report.data } : {}) };
      });
      // data is compared where the case gives it.
      const actual = reports.map((r, k) => (errors[k]?.data === undefined ? { messageId: r.messageId, line: r.line, column: r.column } : r));
      expect(actual).toEqual(errors);
    });
  });
}
