import type { Finding } from '../../core/types.js';
import { formatMessage } from '../../core/rule.js';
import { VERDICT_RULES } from './rules/verdictRules.js';
import { VERDICT_RANK, type ModelFinding, type ScannedFile } from './types.js';

/** A Finding for a binary file: no line/column, the file, member and offset travel as fields. */
export type ModelReportFinding = Finding & { file: string; member?: string; offset?: number; global?: string; rule?: string };

function where(f: ModelFinding): string {
  return [f.offset !== undefined ? ` at offset ${f.offset}` : '', f.member ? ` in ${f.member}` : ''].join('');
}

/**
 * One Finding per file that is not safe, named after its verdict and worst finding, e.g.
 * "malicious: imports deny-listed builtins.exec (callable) at offset 1234 in archive/data.pkl".
 */
export function toFindings(file: ScannedFile): ModelReportFinding[] {
  if (file.verdict === 'safe') return [];
  const verdict = file.verdict;
  const worst = file.findings.filter((f) => f.verdict === verdict)[0] ?? file.findings[0];
  const others = file.findings.filter((f) => VERDICT_RANK[f.verdict] === VERDICT_RANK[verdict]).length - 1;
  const detail = worst ? `${worst.message}${where(worst)}` : verdict;
  const rule = VERDICT_RULES[verdict];
  return [
    {
      checkId: rule.id,
      severity: rule.severity,
      title: rule.title,
      message: formatMessage(rule, 'file', { file: file.path, verdict, detail, more: others > 0 ? ` (and ${others} more)` : '' }),
      remediation: rule.remediation,
      frameworks: rule.frameworks,
      file: file.path,
      ...(worst?.member !== undefined ? { member: worst.member } : {}),
      ...(worst?.offset !== undefined ? { offset: worst.offset } : {}),
      ...(worst?.global !== undefined ? { global: worst.global } : {}),
      ...(worst ? { rule: worst.rule } : {}),
    },
  ];
}
