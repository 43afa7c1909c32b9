import type { LoadResult } from '../core/load.js';
import { AuditSession, type AuditOptions, type AuditOutcome } from './session.js';

export { AuditSession, type AuditOptions, type AuditOutcome } from './session.js';
export { workloadTable } from './table.js';
export { activeChecks, dockerfileScanOptions, type ActiveChecks } from './settings.js';
export { complianceView, filterByFramework, type ComplianceView } from './compliance.js';
export { malformedWorkloadFindings } from './workloadNotes.js';

/**
 * `palisade audit` as a library call: Pod Security Standards at the chosen level plus every posture
 * check, over resources the loader read (one file or many). Pure: no printing, no exit.
 */
export function audit(loaded: Pick<LoadResult, 'resources'>, options: AuditOptions = {}): AuditOutcome {
  const session = new AuditSession(options);
  const perFile = session.addFile(loaded);
  const cluster = session.finish();
  return { results: perFile.results, findings: [...perFile.findings, ...cluster.findings], errors: [...perFile.errors, ...cluster.errors] };
}
