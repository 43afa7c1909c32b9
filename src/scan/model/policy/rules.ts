import { formatMessage } from '../../../core/rule.js';
import { RULES } from '../rules/index.js';
import type { ModelFinding } from '../types.js';

export { RULES };

export type RuleId = keyof typeof RULES;
export type FindingData = Record<string, string | number>;

export interface Where {
  offset?: number;
  member?: string;
  global?: string;
}

/** Build a finding from a rule id and its data; the only place messages are made. */
export function finding(rule: RuleId, data: FindingData = {}, where: Where = {}): ModelFinding {
  const meta = RULES[rule];
  return {
    rule,
    verdict: meta.verdict,
    severity: meta.severity,
    message: formatMessage(meta, 'default', data),
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
