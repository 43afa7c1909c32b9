import type { Report } from '../core/types.js';

/** What a reporter may learn about a check beyond the findings: its registry metadata. */
export interface RuleInfo {
  /** A sentence or two on what the check looks for and why it matters. */
  description?: string;
  /** Where the check is documented. */
  docsUrl?: string;
  /** A grouping people filter by, e.g. "Pod Security Standards". */
  category?: string;
  /** The check's family as people name it (Pod Security Standards, Posture, Network…). */
  family?: string;
}

/** What a reporter may know besides the report: the source text for excerpts, and the terminal. */
export interface ReportContext {
  /** The text of a line of an input file (1-based), for excerpts; undefined when unknown. */
  sourceLine?: (file: string, line: number) => string | undefined;
  /** Colour only on a TTY (and never with NO_COLOR). */
  color: boolean;
  /** Show suppressed findings in text output. */
  showSuppressed?: boolean;
  /** Text output: findings under a heading per file (default) or per check. */
  groupBy?: 'file' | 'check';
  /** Text output: counts by severity, check and namespace instead of one block per finding. */
  summaryOnly?: boolean;
  /** Check metadata by check ID (SARIF rules, PolicyReport categories); reporters fall back to the findings. */
  ruleInfo?: (checkId: string) => RuleInfo | undefined;
}

/**
 * A reporter is a pure function from the report to the text of one output format. A reporter
 * whose output can be large may also give it in pieces (`chunks`, joined they are the same text),
 * so a 100,000-finding report is written without first becoming one string.
 */
export type Reporter = ((report: Report, context: ReportContext) => string) & { chunks?: (report: Report, context: ReportContext) => Iterable<string> };
