import type { Severity } from '../../core/types.js';
import type { RuleId } from './policy/rules.js';

/** The verdicts of the policy in ../shared/corpus/models/PROVENANCE.md. */
export type Verdict = 'safe' | 'unsupported' | 'invalid' | 'suspicious' | 'malicious';

/** Worst wins: malicious > suspicious > invalid > safe / unsupported. */
export const VERDICT_RANK: Record<Verdict, number> = { safe: 0, unsupported: 0, invalid: 1, suspicious: 2, malicious: 3 };

/** A verdict's severity (DESIGN.md); safe has none. */
export const VERDICT_SEVERITY: Record<Exclude<Verdict, 'safe'>, Severity> = {
  malicious: 'critical',
  suspicious: 'medium',
  invalid: 'low',
  unsupported: 'info',
};

export function worse(a: Verdict, b: Verdict): Verdict {
  if (VERDICT_RANK[b] > VERDICT_RANK[a]) return b;
  // unsupported and safe rank equal: "unsupported" only stands when nothing was recognised.
  if (VERDICT_RANK[b] === VERDICT_RANK[a] && a === 'safe' && b === 'unsupported') return b;
  return a;
}

/** One problem in one file, in the shape of the model-scan contract (DESIGN.md). */
export interface ModelFinding {
  rule: RuleId;
  verdict: Exclude<Verdict, 'safe'>;
  severity: Severity;
  message: string;
  /** "module.name" of the pickle global concerned. */
  global?: string;
  /** Byte offset inside the file, or inside `member` when there is one. */
  offset?: number;
  /** Path of the archive member (nested members joined with "!"). */
  member?: string;
}

export type ModelFormat =
  | 'pickle'
  | 'pytorch-zip'
  | 'pytorch-legacy'
  | 'pytorch-legacy-tar'
  | 'numpy-npy'
  | 'numpy-npz'
  | 'joblib'
  | 'keras-v3'
  | 'keras-h5'
  | 'tf-savedmodel'
  | 'onnx'
  | 'gguf'
  | 'safetensors'
  | 'zip'
  | 'tar'
  | '7z'
  | 'compressed'
  | 'empty'
  | 'unknown';

export interface ScannedFile {
  path: string;
  member?: string;
  format: ModelFormat;
  size: number;
  sha256: string;
  verdict: Verdict;
  findings: ModelFinding[];
}

/** The verdict of a list of findings: the worst of them, `safe` when there is none. */
export function verdictOf(findings: readonly ModelFinding[]): Verdict {
  let verdict: Verdict = 'safe';
  for (const f of findings) verdict = worse(verdict, f.verdict);
  return verdict;
}
