/** The model-artifact scanner: recognises model formats by content and judges them without running them. */
export { scanModelFile, scanModelPaths, scanModelBytes, scanModelStream, type ModelScanOptions, type ModelScanResult } from './scan.js';
export { buildPolicy, DEFAULT_POLICY, judgeGlobal, type PolicyOverrides, type ScanPolicy } from './policy/judge.js';
export { deadlineAfter, type ScanDeadline } from './policy/limits.js';
export { type RuleId } from './policy/rules.js';
// The rules' metadata (titles, descriptions) is in ruleset.ts: a scan does not load it (issue 23).
export type { ModelRule } from './rules/modelRule.js';
export { VERDICT_RANK, VERDICT_SEVERITY, verdictOf, worse, type ModelFinding, type ModelFormat, type ScannedFile, type Verdict } from './types.js';
export { scanPickleStream } from './pickle/stream.js';
export { toFindings, type ModelReportFinding } from './findings.js';
