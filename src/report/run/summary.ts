import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../../core/types.js';
import { compareStrings } from '../findings.js';

/** Counts by check, namespace and severity: the `--summary` view, and `breakdown` in JSON. */
export interface Breakdown {
  bySeverity: Record<Severity, number>;
  byCheck: Array<{ checkId: string; severity: Severity; title: string; count: number }>;
  byNamespace: Array<{ namespace: string; count: number }>;
}

/** Suppressed findings are left out, as they are of the summary line. */
export function breakdown(findings: readonly Finding[]): Breakdown {
  const active = findings.filter((f) => !f.suppressed);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const checks = new Map<string, { checkId: string; severity: Severity; title: string; count: number }>();
  const namespaces = new Map<string, number>();
  for (const f of active) {
    bySeverity[f.severity]++;
    const entry = checks.get(f.checkId);
    if (entry) {
      entry.count++;
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[entry.severity]) entry.severity = f.severity;
    } else checks.set(f.checkId, { checkId: f.checkId, severity: f.severity, title: f.title, count: 1 });
    const ns = f.resource ? (f.resource.namespace ?? '(no namespace)') : '(no resource)';
    namespaces.set(ns, (namespaces.get(ns) ?? 0) + 1);
  }
  const byCheck = [...checks.values()].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.count - a.count || compareStrings(a.checkId, b.checkId));
  const byNamespace = [...namespaces].map(([namespace, count]) => ({ namespace, count })).sort((a, b) => b.count - a.count || compareStrings(a.namespace, b.namespace));
  return { bySeverity, byCheck, byNamespace };
}

/** The tables of `--summary`, plain text (the caller adds colour to nothing: this is for logs). */
export function breakdownText(b: Breakdown): string {
  const lines: string[] = [];
  const table = (title: string, rows: Array<[string, string, string]>): void => {
    if (rows.length === 0) return;
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    lines.push(title, ...rows.map(([a, b2, c]) => `  ${a.padStart(w0)}  ${b2.padEnd(w1)}  ${c}`.trimEnd()), '');
  };
  table(
    'By severity:',
    SEVERITIES.filter((s) => b.bySeverity[s] > 0).map((s) => [String(b.bySeverity[s]), s, '']),
  );
  table(
    'By check:',
    b.byCheck.map((c) => [String(c.count), c.severity, `${c.checkId}  ${c.title}`]),
  );
  table(
    'By namespace:',
    b.byNamespace.map((n) => [String(n.count), n.namespace, '']),
  );
  return lines.join('\n');
}
