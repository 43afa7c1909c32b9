/** The audit-log family's rules, without loading the engine (for `checks list` and the reporters). */
export { AUDITLOG_RULES } from './detections/index.js';
