/**
 * What the CLI's gate needs on every run (grouping findings, baselines, the summary), without
 * loading every reporter as `report/index.ts` does.
 */
export { FINGERPRINT_KEY, newFindings, parseBaseline, type Baseline } from './baseline.js';
export { groupFindings } from './group.js';
export { breakdown, breakdownText } from './summary.js';
