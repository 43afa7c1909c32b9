import type { Finding, Severity } from '../core/types.js';
import { sortFindings } from './findings.js';
import { printable } from './terminal.js';
import type { Reporter } from './types.js';

/**
 * GitHub Actions workflow commands, which GitHub turns into annotations on the pull request's
 * lines: `::error file=…,line=…,col=…,title=…::message`. Suppressed findings are left out: an
 * annotation cannot be marked as accepted.
 */
export const github: Reporter = (report) => {
  const lines = sortFindings(report.findings.filter((f) => !f.suppressed)).map(command);
  return lines.length > 0 ? lines.join('\n') + '\n' : '';
};

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice', info: 'notice' };

function command(finding: Finding): string {
  const properties: Array<[string, string]> = [];
  // stdin has no file in the repository to annotate; the annotation then goes on the run.
  if (finding.location && finding.location.file !== '-') {
    properties.push(['file', finding.location.file], ['line', String(finding.location.line)], ['col', String(finding.location.column)]);
  }
  properties.push(['title', `${finding.checkId}: ${finding.title}`]);
  const message = finding.remediation ? `${finding.message}\nfix: ${finding.remediation}` : finding.message;
  // After escaping, what control characters remain would reach the log raw: make them visible.
  const props = properties.map(([key, value]) => `${key}=${printable(escapeProperty(value))}`).join(',');
  return `::${COMMAND[finding.severity]} ${props}::${printable(escapeData(message))}`;
}

/** The runner's escaping of a command's message (@actions/core, toolkit/packages/core/src/command.ts). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also escape the separators ":" and ",". */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
