/** Baselines: findings already known (fingerprints without line numbers), read with zod. */
export { FINGERPRINT_KEY, newFindings, parseBaseline, type Baseline } from './baseline.js';
