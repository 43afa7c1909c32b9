import type { Finding } from '../../core/types.js';
import { VERDICT_RANK, VERDICT_SEVERITY, type ModelFinding, type ScannedFile, type Verdict } from './types.js';

const TITLES: Record<Exclude<Verdict, 'safe'>, string> = {
  malicious: 'Model file runs code when loaded',
  suspicious: 'Model file uses constructs outside the safe allow-list',
  invalid: 'Model file is malformed',
  unsupported: 'Not a model format',
};

const REMEDIATIONS: Record<Exclude<Verdict, 'safe'>, string> = {
  malicious: 'Do not load this file; obtain the model from a trusted source, preferably as safetensors.',
  suspicious: 'Load it only with a restricted loader (torch.load(weights_only=True)) or convert it to safetensors; allow-list the named globals if they are expected.',
  invalid: 'Re-download or re-export the file; the loader will reject it.',
  unsupported: 'Nothing to do unless this file was meant to be a model.',
};

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
  return [
    {
      checkId: `MODEL_${verdict.toUpperCase()}`,
      severity: VERDICT_SEVERITY[verdict],
      title: TITLES[verdict],
      message: `${file.path}: ${verdict}: ${detail}${others > 0 ? ` (and ${others} more)` : ''}`,
      remediation: REMEDIATIONS[verdict],
      frameworks: { 'mitre-atlas': ['AML.T0010', 'AML.T0011'] },
      file: file.path,
      ...(worst?.member !== undefined ? { member: worst.member } : {}),
      ...(worst?.offset !== undefined ? { offset: worst.offset } : {}),
      ...(worst?.global !== undefined ? { global: worst.global } : {}),
      ...(worst ? { rule: worst.rule } : {}),
    },
  ];
}
