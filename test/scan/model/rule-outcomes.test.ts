import { describe, expect, it } from 'vitest';
import { RULE_OUTCOMES } from '../../../src/scan/model/policy/ruleOutcomes.js';
import { finding } from '../../../src/scan/model/policy/rules.js';
import { RULES } from '../../../src/scan/model/rules/index.js';

// The scan makes findings from policy/ruleOutcomes.ts, which loads as one module (issue 23); the
// one-file rule modules read their verdict and message from it: the table has an entry for every
// rule and no other, and the findings it makes are the ones the rule modules describe.
describe('rule outcomes used by the scan', () => {
  it('are the verdict and message of every rule module, and nothing else', () => {
    const fromRules = Object.fromEntries(Object.entries(RULES).map(([id, rule]) => [id, { verdict: rule.verdict, message: rule.messages.default }]));
    expect(RULE_OUTCOMES).toEqual(fromRules);
  });

  it('give findings the rule module would give: verdict, severity and message', () => {
    for (const [id, rule] of Object.entries(RULES)) {
      const made = finding(id as keyof typeof RULES, { global: 'os.system', reason: 'callable', detail: 'd', part: 'name' });
      expect([made.verdict, made.severity, made.message]).toEqual([rule.verdict, rule.severity, (rule.messages.default ?? '').replace(/\{(\w+)\}/g, (all, key: string) => ({ global: 'os.system', reason: 'callable', detail: 'd', part: 'name' } as Record<string, string>)[key] ?? all)]);
    }
  });
});
