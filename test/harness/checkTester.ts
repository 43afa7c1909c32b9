import { describe, expect, it } from 'vitest';
import { InventoryBuilder } from '../../src/audit/inventory.js';
import { podContext } from '../../src/checks/context.js';
import type { Check, CheckReport } from '../../src/checks/index.js';
import { formatMessage } from '../../src/core/rule.js';
import { loadText, type Resource } from '../../src/core/load.js';
import { findPodSpecs } from '../../src/workloads/index.js';

/**
 * One harness for every posture check (style.md rule 6, after eslint's RuleTester): cases are YAML
 * text, so positions are tested too. It enforces exact report counts, messageIds that exist in
 * meta, params that pass the check's schema, messages with no unfilled placeholder, deep-frozen
 * inputs (a check that mutates its input throws), and no duplicate case.
 */

export interface Expected {
  messageId: string;
  /** Compared exactly when given. */
  data?: Record<string, string | number>;
  path: string;
  line: number;
  column: number;
  /** Compared when given: the report's own severity, else the check's default. */
  severity?: string;
}

export interface ValidCase {
  name: string;
  yaml: string;
  params?: Record<string, unknown>;
}

export interface InvalidCase extends ValidCase {
  expected: Expected[];
}

/** "Today" for checks that judge dates. */
export const TODAY = '2026-06-01';

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

interface Located extends CheckReport {
  line: number;
  column: number;
}

/** Run one check over YAML text the way the audit does, returning located reports. */
export function runCheck(check: Check, yaml: string, params?: Record<string, unknown>): Located[] {
  const parsed = check.meta.params.safeParse({ ...(check.meta.defaultParams as object), ...(params ?? {}) });
  if (!parsed.success) throw new Error(`params do not pass ${check.meta.id}'s schema: ${parsed.error.message}`);
  const loaded = loadText('case.yaml', yaml);
  if (loaded.errors.length > 0) throw new Error(`case YAML does not load: ${loaded.errors.map((e) => e.message).join('; ')}`);
  for (const resource of loaded.resources) deepFreeze(resource.object);
  const located = (resource: Resource | undefined, report: CheckReport): Located => {
    if (!resource) throw new Error(`report has no resource: ${JSON.stringify(report)}`);
    const { line, column } = resource.locate(report.path);
    return { ...report, line, column };
  };
  if (check.scope === 'cluster') {
    const builder = new InventoryBuilder();
    for (const resource of loaded.resources) builder.add(resource, findPodSpecs(resource.object).map((pod) => podContext(resource.ref, resource.object, pod)));
    deepFreeze(builder.inventory);
    const run = check.create(parsed.data as never);
    return run(builder.inventory).map((r) => located(loaded.resources.find((x) => x.indexInFile === r.target.indexInFile), { messageId: r.messageId, path: r.path, ...(r.data ? { data: r.data } : {}), ...(r.severity ? { severity: r.severity } : {}) }));
  }
  const out: Located[] = [];
  for (const resource of loaded.resources) {
    const pods = findPodSpecs(resource.object);
    if (check.scope === 'pod') {
      const run = check.create(parsed.data as never);
      for (const pod of pods) for (const r of run(podContext(resource.ref, resource.object, pod))) out.push(located(resource, r));
    } else {
      const run = check.create(parsed.data as never);
      for (const r of run({ ref: resource.ref, object: resource.object, today: TODAY, pods: pods.map((pod) => podContext(resource.ref, resource.object, pod)) })) out.push(located(resource, r));
    }
  }
  return out;
}

export function testCheck(check: Check, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(check.meta.id, () => {
    it('has no duplicate cases and at least one of each kind', () => {
      const texts = [...cases.valid, ...cases.invalid].map((c) => JSON.stringify([c.yaml, c.params ?? {}]));
      expect(new Set(texts).size).toBe(texts.length);
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
    });

    for (const c of cases.valid) {
      it(`dont-fire: ${c.name}`, () => {
        expect(runCheck(check, c.yaml, c.params)).toEqual([]);
      });
    }

    for (const c of cases.invalid) {
      it(`fires: ${c.name}`, () => {
        for (const e of c.expected) expect(Object.keys(check.meta.messages), `messageId ${e.messageId} is not in meta.messages`).toContain(e.messageId);
        const reports = runCheck(check, c.yaml, c.params);
        for (const r of reports) {
          expect(Object.keys(check.meta.messages), `reported messageId ${r.messageId} is not in meta.messages`).toContain(r.messageId);
          expect(formatMessage(check.meta, r.messageId, r.data), 'message has an unfilled placeholder').not.toMatch(/\{\w+\}/);
        }
        const actual = reports.map((r, i) => {
          const expected = c.expected[i];
          return { messageId: r.messageId, ...(expected?.data ? { data: r.data } : {}), path: r.path, line: r.line, column: r.column, ...(expected?.severity ? { severity: r.severity ?? check.meta.severity } : {}) };
        });
        expect(actual).toEqual(c.expected);
      });
    }
  });
}
