import type { Rule } from '../../core/rule.js';
import { workloadDiscovered } from './workloadDiscovered.js';

/** Rules the audit run reports itself, outside any engine. */
export const AUDIT_RULES: readonly Rule[] = [workloadDiscovered];
