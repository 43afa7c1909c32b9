import { createColors } from 'picocolors';
import { SEVERITIES, SEVERITY_RANK, summarize, type Finding, type Severity } from '../core/types.js';
import { compareFindings, compareLocations, compareStrings, groupBy, locationLabel, resourceLabel, sortFindings } from './findings.js';
import { breakdown, breakdownText } from './run/summary.js';
import { policyName, pssResults, violationMessage, type PssResultView } from './pssResults.js';
import { printable } from './terminal.js';
import type { Reporter, ReportContext } from './types.js';

/**
 * The report for people, in the manner of eslint and ruff: one block per finding, grouped by file
 * and sorted by line, each with the offending source line, a caret under the column and the fix;
 * PSS verdicts per pod spec first; one summary line last.
 */
export const text: Reporter = (report, context) => {
  const c = createColors(context.color);
  const sections: string[] = [];

  const results = [...pssResults(report)].sort(compareResults);
  if (results.length > 0) sections.push(results.map((r) => resultLine(r, c)).join('\n'));

  const shown = sortFindings(report.findings.filter((f) => context.showSuppressed || !f.suppressed));
  if (context.summaryOnly) {
    const tables = breakdownText(breakdown(report.findings));
    if (tables) sections.push(tables.trimEnd());
  } else if (context.groupBy === 'check') {
    const byCheck = groupBy(
      [...shown].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareStrings(a.checkId, b.checkId) || compareFindings(a, b)),
      (f) => f.checkId,
    );
    for (const [checkId, group] of byCheck) {
      const head = `${c.bold(checkId)}  ${severityColor(group[0]!.severity, c)(group[0]!.severity.toUpperCase())}  ${printable(group[0]!.title)} (${plural(group.length, 'finding')})`;
      sections.push([head, group.map((f) => findingBlock(f, context, c)).join('\n\n')].join('\n'));
    }
  } else {
    for (const [file, group] of groupBy(shown, (f) => f.location?.file)) {
      // Findings on binary files (models, images) name their file in the message: no heading needed.
      const unplaced = file === undefined && group.some((f) => typeof (f as { file?: unknown }).file !== 'string');
      const heading = unplaced ? [c.bold('(no location)')] : [];
      sections.push([...heading, group.map((f) => findingBlock(f, context, c)).join('\n\n')].join('\n'));
    }
  }

  const footer = [summaryLine(report.findings, context, c)];
  const known = (report.baseline as { known?: unknown } | undefined)?.known;
  if (typeof known === 'number') footer.push(`${plural(known, 'finding')} already in the baseline, not shown`);
  if (results.length > 0) footer.unshift(resultsSummaryLine(results, c));
  sections.push(footer.join('\n'));
  return sections.join('\n\n') + '\n';
};

type Colors = ReturnType<typeof createColors>;

const PLAIN = createColors(false);

function severityColor(severity: Severity, c: Colors): (text: string) => string {
  const colors: Record<Severity, (text: string) => string> = {
    critical: (t) => c.bold(c.red(t)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.blue,
  };
  return colors[severity];
}

function findingBlock(finding: Finding, context: ReportContext, c: Colors): string {
  // A suppressed finding's head is dimmed as a whole, so no severity colour shows through it.
  const hc = finding.suppressed ? PLAIN : c;
  const severity = severityColor(finding.severity, hc)(finding.severity.toUpperCase());
  const where = finding.location ? `${printable(locationLabel(finding.location))}  ` : '';
  const head = `${where}${severity}  ${hc.dim(finding.checkId)}  ${printable(finding.message)}`;
  const lines = [finding.suppressed ? c.dim(head) : head];
  if (!finding.location && finding.resource) lines.push(`    ${c.dim('in')} ${printable(resourceLabel(finding.resource))}`);
  if (finding.location) lines.push(...excerpt(finding.location.file, finding.location.line, finding.location.column, context, c));
  for (const o of (finding.occurrences ?? []).slice(1)) {
    const at = o.location ? `${o.location.file === finding.location?.file ? `${o.location.line}:${o.location.column}` : locationLabel(o.location)}  ` : '';
    const who = o.container !== undefined ? `container ${o.container}` : (o.path ?? '');
    lines.push(`    ${c.dim('also')} ${printable(at)}${printable(who)}`);
  }
  if (finding.remediation) lines.push(`    ${c.green('fix:')} ${printable(finding.remediation)}`);
  if (finding.suppressed) {
    const { by, reason, expires } = finding.suppressed;
    lines.push(`    ${c.dim(`suppressed by ${by}: ${printable(reason)}${expires ? ` (until ${printable(expires)})` : ''}`)}`);
  }
  return lines.join('\n');
}

/** The source line with a gutter, and a caret under the column (tabs kept, so the caret lines up). */
function excerpt(file: string, line: number, column: number, context: ReportContext, c: Colors): string[] {
  const source = context.sourceLine?.(file, line)?.replace(/\r$/, '');
  if (source === undefined) return [];
  const number = String(line);
  const gutter = ' '.repeat(number.length);
  const lead = [...source.slice(0, Math.max(0, column - 1))].map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
  return [`    ${c.dim(`${number} |`)} ${printable(source)}`, `    ${c.dim(`${gutter} |`)} ${lead}${c.red('^')}`];
}

function compareResults(a: PssResultView, b: PssResultView): number {
  return compareLocations(a.location, b.location) || compareStrings(resourceLabel(a.resource), resourceLabel(b.resource)) || compareStrings(a.podSpecPath, b.podSpecPath);
}

/** `✗ file:3:1  Deployment ml/iris  /spec/template/spec: violates PodSecurity "restricted:v1.37": …` */
function resultLine(result: PssResultView, c: Colors): string {
  const where = result.location ? `${printable(locationLabel(result.location))}  ` : '';
  const subject = `${where}${printable(resourceLabel(result.resource))}  ${c.dim(printable(result.podSpecPath))}`;
  if (result.allowed) return `${c.green('✓')} ${subject}: allowed by ${printable(policyName(result))}`;
  return `${c.red('✗')} ${subject}: ${printable(violationMessage(result))}`;
}

function resultsSummaryLine(results: readonly PssResultView[], c: Colors): string {
  const violating = results.filter((r) => !r.allowed).length;
  const counts = [`${results.length - violating} allowed`, `${violating} in violation`];
  return `${plural(results.length, 'pod spec')}: ${violating > 0 ? c.red(counts.join(', ')) : c.green(counts.join(', '))}`;
}

/** `12 findings: 2 critical, 5 high, 5 medium; 3 suppressed`, or a clear line when there are none. */
function summaryLine(findings: readonly Finding[], context: ReportContext, c: Colors): string {
  const summary = summarize(findings);
  const active = SEVERITIES.reduce((sum, s) => sum + summary[s], 0);
  const suppressed = summary.suppressed > 0 ? `; ${summary.suppressed} suppressed${context.showSuppressed ? '' : ' (shown with --show-suppressed)'}` : '';
  const advisory = findings.filter((f) => !f.suppressed && (f.admission === 'warn' || f.admission === 'audit')).length;
  const advisoryNote = advisory > 0 ? `; ${advisory} only warned about or audited by namespace labels (they fail the run with --fail-on …,warn or …,audit)` : '';
  if (active === 0) return `${c.green('✓')} no findings${suppressed}`;
  const counts = SEVERITIES.filter((s) => summary[s] > 0).map((s) => severityColor(s, c)(`${summary[s]} ${s}`));
  return `${c.bold(plural(active, 'finding'))}: ${counts.join(', ')}${suppressed}${advisoryNote}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
