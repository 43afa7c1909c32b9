import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HADOLINT_MAPPING } from './mapping.js';
import { FIXTURES, fires, keyed } from './run.js';

/**
 * palisade against hadolint's own labelled snippets (test/fixtures/hadolint/cases.json, copied by
 * scripts/hadolint-fixtures.mjs from hadolint's rule specs) for the security and hardening rules
 * palisade maps to (mapping.ts). A should-fail snippet palisade does not catch is a miss; a
 * should-pass snippet it reports is a false positive. Every disagreement is in expectations.json
 * with its reason: `miss` where palisade is exact by design (a stage the build never reaches),
 * `stricter` where palisade reports on purpose what hadolint lets pass. The list may only shrink.
 */
const EXPECTATIONS = JSON.parse(readFileSync(new URL('./expectations.json', import.meta.url), 'utf8')) as Record<string, { verdict: 'miss' | 'stricter'; reason: string }>;

const results = keyed(FIXTURES.cases).map(({ key, item }) => ({ key, item, fired: fires(item) }));

describe('hadolint fixtures', () => {
  it('every case is of a mapped rule, and every mapped rule has should-fail and should-pass cases', () => {
    const rules = new Set(FIXTURES.cases.map((c) => c.rule));
    expect([...rules].sort()).toEqual(Object.keys(HADOLINT_MAPPING).sort());
    for (const rule of rules) expect([rule, ...['fail', 'pass'].map((e) => FIXTURES.cases.some((c) => c.rule === rule && c.expect === e))]).toEqual([rule, true, true]);
  });

  it('every disagreement with hadolint is explained, and no explanation is stale', () => {
    const disagreements = results.filter((r) => r.fired !== (r.item.expect === 'fail')).map((r) => `${r.key} → ${r.fired ? 'reported' : 'not reported'}`);
    const explained = disagreements.filter((d) => EXPECTATIONS[d.split(' → ')[0]!]);
    expect(disagreements.filter((d) => !explained.includes(d))).toEqual([]);
    const stale = Object.keys(EXPECTATIONS).filter((key) => !disagreements.some((d) => d.startsWith(`${key} → `)));
    expect(stale).toEqual([]);
    // misses explain should-fail cases, `stricter` explains should-pass ones
    for (const [key, { verdict, reason }] of Object.entries(EXPECTATIONS)) {
      expect([key, verdict, reason.length > 20]).toEqual([key, key.includes(' fail: ') ? 'miss' : 'stricter', true]);
    }
  });

  it('recall on the should-fail cases of the mapped rules is at least 0.9; no unexplained false positive', () => {
    const shouldFail = results.filter((r) => r.item.expect === 'fail');
    const caught = shouldFail.filter((r) => r.fired);
    expect(caught.length / shouldFail.length).toBeGreaterThanOrEqual(0.9);
    const falsePositives = results.filter((r) => r.item.expect === 'pass' && r.fired && EXPECTATIONS[r.key]?.verdict !== 'stricter');
    expect(falsePositives.map((r) => r.key)).toEqual([]);
  });
});
