/**
 * What one CLI run needs from report/ without loading every reporter as `report/index.ts` does:
 * the per-format loaders, grouping findings and the summary (baselines, which need zod, are
 * `report/baseline/`).
 */
export { groupFindings } from './group.js';
export { breakdown, breakdownText } from './summary.js';
export { loadPolicyReportDocuments, REPORTER_MODULES } from './loaders.js';
