import type { Rule } from '../../core/rule.js';
import type { Severity } from '../../core/types.js';
import type { Priority } from '../rules/loader.js';

/** A rule in Falco's language, as it is written into the bundled rules file. */
export interface FalcoRuleBody {
  rule: string;
  desc: string;
  condition: string;
  output: string;
  priority: Priority;
  tags: string[];
}

/** One of palisade's own audit-log rules: its registry metadata and its Falco text, in one file. */
export interface Detection {
  meta: Rule;
  falco: FalcoRuleBody;
}

/** Falco priorities → palisade severities; a finding's severity follows the rule's (possibly overridden) priority. */
export function severityOf(priority: Priority): Severity {
  switch (priority) {
    case 'Emergency':
    case 'Alert':
    case 'Critical':
      return 'critical';
    case 'Error':
      return 'high';
    case 'Warning':
      return 'medium';
    case 'Notice':
      return 'low';
    default:
      return 'info';
  }
}
