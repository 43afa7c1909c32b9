import { SEVERITIES, SEVERITY_RANK, type Finding, type FrameworkMap, type Report } from '../../core/types.js';
import type { ReachabilityGraph } from '../../core/graph.js';
import { fileLabel, resourceLabel } from '../findings.js';
import type { ReportContext } from '../types.js';

/**
 * What the page's script receives: the report, made compact. Strings that repeat across findings
 * (check ids, titles, fixes, files, objects, framework maps) are interned once in `strings` and
 * findings refer to them by index, so a 20,000-finding report stays a few megabytes.
 */
export interface PagePayload {
  tool: { name: string; version: string };
  inputs: string[];
  summary: Report['summary'];
  severities: readonly string[];
  strings: string[];
  /** One row per finding, worst first: see `FindingRow`. */
  findings: FindingRow[];
  /** Source lines around each located finding, by `"<file index>:<line>"`: [first line number, lines]. */
  snippets: Record<string, [number, string[]]>;
  network?: ReachabilityGraph;
  /** RBAC attack paths, one chain per account or admin scope reached (from `rbac.attackPaths` of the report). */
  attackPaths?: AttackChain[];
  /** Pod specs judged against Pod Security Standards: allowed and denied counts. */
  pss?: { allowed: number; denied: number };
}

/** One attack path: from a pod's service account, hop by hop, to an account or to administrator of a scope. */
export interface AttackChain {
  from: string;
  hops: Array<{ action: string; via: string; where: string; to: string; admin: boolean }>;
}

/**
 * A finding as the page reads it. Numbers are indexes into `strings` (-1 when absent), except
 * `s` (severity index), `l`/`k` (line, column) and the free-text message `m`.
 */
export interface FindingRow {
  s: number;
  c: number;
  t: number;
  m: string;
  /** Object label (`Deployment ml/iris`). */
  r: number;
  /** Namespace. */
  n: number;
  f: number;
  l: number;
  k: number;
  /** Remediation. */
  x: number;
  /** Frameworks, as interned JSON of the map. */
  w: number;
  /** Check family (Pod Security Standards, posture, network…). */
  g: number;
  /** Suppression, as a sentence; absent when the finding counts. */
  u?: string;
}

/** Lines of context shown before and after the finding's line. */
const CONTEXT_LINES = 2;
/** Longest source line kept in a snippet: minified JSON on one line would otherwise fill the page. */
const MAX_LINE = 240;

export function pagePayload(report: Report, context: ReportContext): PagePayload {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const intern = (value: string | undefined): number => {
    if (value === undefined || value === '') return -1;
    let i = index.get(value);
    if (i === undefined) {
      i = strings.length;
      strings.push(value);
      index.set(value, i);
    }
    return i;
  };

  const snippets: PagePayload['snippets'] = {};
  const rows: FindingRow[] = [];
  for (const finding of worstFirst(report.findings)) {
    const file = finding.location ? intern(fileLabel(finding.location.file)) : -1;
    if (finding.location && context.sourceLine) {
      const key = `${file}:${finding.location.line}`;
      if (!(key in snippets)) {
        const snippet = snippetOf(finding.location.file, finding.location.line, context.sourceLine);
        if (snippet) snippets[key] = snippet;
      }
    }
    const row: FindingRow = {
      s: SEVERITIES.indexOf(finding.severity),
      c: intern(finding.checkId),
      t: intern(finding.title),
      m: finding.message,
      r: intern(resourceLabel(finding.resource)),
      n: intern(finding.resource?.namespace),
      f: file,
      l: finding.location?.line ?? 0,
      k: finding.location?.column ?? 0,
      x: intern(finding.remediation),
      w: intern(frameworksKey(finding.frameworks)),
      g: intern(familyOf(finding, context)),
    };
    if (finding.suppressed) {
      const { by, reason, expires } = finding.suppressed;
      row.u = `suppressed by ${by}: ${reason}${expires ? ` (until ${expires})` : ''}`;
    }
    rows.push(row);
  }

  const payload: PagePayload = { tool: report.tool, inputs: report.inputs, summary: report.summary, severities: SEVERITIES, strings, findings: rows, snippets };
  if (isGraph(report.network)) payload.network = report.network;
  const chains = attackChains(report.rbac);
  if (chains.length > 0) payload.attackPaths = chains;
  const results = report.results;
  if (Array.isArray(results) && results.length > 0) {
    const denied = results.filter((r) => (r as { allowed?: unknown }).allowed === false).length;
    payload.pss = { allowed: results.length - denied, denied };
  }
  return payload;
}

function worstFirst(findings: readonly Finding[]): Finding[] {
  const position = (f: Finding): string => (f.location ? `${f.location.file}\u0000${String(f.location.line).padStart(9, '0')}` : '\uffff');
  return [...findings].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || (position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : 0) || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
}

function snippetOf(file: string, line: number, sourceLine: NonNullable<ReportContext['sourceLine']>): [number, string[]] | undefined {
  const first = Math.max(1, line - CONTEXT_LINES);
  const lines: string[] = [];
  for (let n = first; n <= line + CONTEXT_LINES; n++) {
    const text = sourceLine(file, n);
    if (text === undefined) {
      if (n <= line) return undefined;
      break;
    }
    const plain = text.replace(/\r$/, '');
    lines.push(plain.length > MAX_LINE ? `${plain.slice(0, MAX_LINE)}…` : plain);
  }
  return [first, lines];
}

/** Framework maps are small and repeat per check: one canonical JSON each, keys sorted. */
function frameworksKey(frameworks: FrameworkMap | undefined): string | undefined {
  if (!frameworks) return undefined;
  const entries = Object.entries(frameworks).filter(([, ids]) => ids && ids.length > 0);
  if (entries.length === 0) return undefined;
  return JSON.stringify(Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))));
}

function familyOf(finding: Finding, context: ReportContext): string {
  const info = context.ruleInfo?.(finding.checkId);
  if (info?.family) return info.family;
  if (finding.checkId.startsWith('PSS_')) return 'Pod Security Standards';
  if (finding.checkId.startsWith('LOAD_') || finding.checkId.startsWith('INPUT_')) return 'Input';
  return 'Security';
}

interface PathSubject {
  kind: string;
  name: string;
  namespace?: string;
}
interface PathStepData {
  action: string;
  via: string;
  location?: { file: string; line: number; column: number };
  to?: PathSubject;
  admin?: string;
}

const subjectLabel = (s: PathSubject): string => `${s.kind} ${s.namespace !== undefined ? `${s.namespace}/` : ''}${s.name}`;

/** `rbac.attackPaths` of the report (rbac/paths.ts AttackPaths[]) as chains the page draws; [] when absent or malformed. */
export function attackChains(rbac: unknown): AttackChain[] {
  const paths = (rbac as { attackPaths?: unknown } | undefined)?.attackPaths;
  if (!Array.isArray(paths)) return [];
  const chains: AttackChain[] = [];
  for (const entry of paths as Array<{ from?: PathSubject; reached?: Array<{ path?: PathStepData[] }>; admin?: Array<{ path?: PathStepData[] }> }>) {
    if (!entry?.from) continue;
    for (const { path } of [...(entry.reached ?? []), ...(entry.admin ?? [])]) {
      if (!Array.isArray(path) || path.length === 0) continue;
      chains.push({
        from: subjectLabel(entry.from),
        hops: path.map((step) => ({
          action: step.action,
          via: step.via,
          where: step.location ? `${step.location.file}:${step.location.line}:${step.location.column}` : '',
          to: step.to ? subjectLabel(step.to) : `administrator of ${step.admin === 'cluster' ? 'the cluster' : `namespace ${step.admin ?? '?'}`}`,
          admin: !step.to,
        })),
      });
    }
  }
  return chains;
}

function isGraph(value: unknown): value is ReachabilityGraph {
  return typeof value === 'object' && value !== null && Array.isArray((value as ReachabilityGraph).nodes) && Array.isArray((value as ReachabilityGraph).edges);
}
