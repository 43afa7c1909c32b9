/**
 * The scan policy's light surface: the limits a model scan enforces and their defaults, which
 * `scan model --help` shows without loading the scanner.
 */
export { DEFAULT_LIMITS, LIMIT_NAMES, LIMITS, ScanBudget, deadlineAfter, type ScanDeadline, type ScanLimits } from './limits.js';
