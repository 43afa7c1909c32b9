import { formatMessage } from '../../../core/rule.js';
import { VERDICT_SEVERITY, type ModelFinding } from '../types.js';
import { RULE_OUTCOMES } from './ruleOutcomes.js';

export type RuleId = keyof typeof RULE_OUTCOMES;
export type FindingData = Record<string, string | number>;

export interface Where {
  offset?: number;
  member?: string;
  global?: string;
}

/** Build a finding from a rule id and its data; the only place messages are made. */
export function finding(rule: RuleId, data: FindingData = {}, where: Where = {}): ModelFinding {
  const { verdict, message } = RULE_OUTCOMES[rule];
  return {
    rule,
    verdict,
    severity: VERDICT_SEVERITY[verdict],
    message: formatMessage({ id: rule, messages: { default: message } }, 'default', data),
    ...(where.global !== undefined ? { global: where.global } : {}),
    ...(where.offset !== undefined ? { offset: where.offset } : {}),
    ...(where.member !== undefined ? { member: where.member } : {}),
  };
}

/** SCAN_LIMIT_REACHED for the scan's wall-clock bound (ScanDeadline), naming it. */
export function timeoutFinding(deadline: { timeoutMs: number } | undefined, detail: string, where: Where = {}): ModelFinding {
  const bound = deadline ? `${deadline.timeoutMs / 1000} s` : 'time';
  return finding('SCAN_LIMIT_REACHED', { detail: `${detail}: the scan's ${bound} time limit passed`, limit: 'timeout' }, where);
}
