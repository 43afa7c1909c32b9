import type { Rule } from '../../core/rule.js';
import { workloadDiscovered } from './workloadDiscovered.js';
import { workloadIncomplete } from './workloadIncomplete.js';
import { workloadMalformed } from './workloadMalformed.js';
import { workloadNotEvaluable } from './workloadNotEvaluable.js';

/** Rules the audit run reports itself, outside any engine. */
export const AUDIT_RULES: readonly Rule[] = [workloadDiscovered, workloadIncomplete, workloadMalformed, workloadNotEvaluable];
