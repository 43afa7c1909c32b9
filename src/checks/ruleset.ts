import type { Rule } from '../core/rule.js';
import { CHECKS } from './index.js';

/** The posture checks' metadata, in the one Rule shape. */
export const POSTURE_RULES: readonly Rule[] = CHECKS.map((c) => c.meta as Rule);
