import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import { SEVERITIES, SEVERITY_RANK, summarize, type Finding, type Report, type Severity } from '../core/types.js';
import { VERSION } from '../core/version.js';
import type { Reporter, ReportContext, RuleInfo } from '../report/types.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'policyreport', 'github', 'html'] as const;

export interface OutputOptions {
  format: string;
  output?: string[];
  failOn: Severity | 'none';
  strict?: boolean;
  color?: boolean;
  showSuppressed?: boolean;
}

/** The options every reporting command shares: --format, --output fmt=file, --fail-on, --strict. */
export function addOutputOptions(command: Command, formats: readonly string[] = REPORT_FORMATS): Command {
  return command
    .addOption(new Option('-f, --format <format>', 'output format on stdout').choices([...formats]).default('text'))
    .addOption(new Option('-o, --output <format=file>', 'also write a format to a file (repeatable), e.g. sarif=out.sarif').argParser(collect))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices([...SEVERITIES, 'none']).default('high'))
    .option('--strict', 'exit 2 on any input error, even when other input was read')
    .option('--show-suppressed', 'show suppressed findings in text output')
    .option('--no-color', 'never colour the text output');
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Input errors become findings too, so CI sees them in every format. */
export function errorFindings(errors: readonly PalisadeError[]): Finding[] {
  return errors.map((error) => ({
    checkId: error.code,
    severity: error.errorClass === 'warning' ? 'info' : 'high',
    title: error.errorClass === 'warning' ? 'Input warning' : 'Input error',
    message: error.message,
    ...(error.location ? { location: error.location } : {}),
  }));
}

export function makeReport(inputs: readonly string[], findings: Finding[], extra: Record<string, unknown> = {}): Report {
  return { tool: { name: 'palisade', version: VERSION }, inputs: [...inputs], summary: summarize(findings), findings, ...extra };
}

/** Where a reporter finds source lines: the texts the loader read. */
export function sourceLines(loaded?: Pick<LoadResult, 'resources'>): (file: string, line: number) => string | undefined {
  const texts = new Map<string, string>();
  for (const r of loaded?.resources ?? []) texts.set(r.source.path, r.source.text);
  return sourceLineFrom(texts);
}

/** Lines of the given texts, split once per file on first use. */
export function sourceLineFrom(texts: ReadonlyMap<string, string>): (file: string, line: number) => string | undefined {
  const split = new Map<string, string[]>();
  return (file, line) => {
    let lines = split.get(file);
    if (!lines) {
      const text = texts.get(file);
      if (text === undefined) return undefined;
      lines = text.split(/\r?\n/);
      split.set(file, lines);
    }
    return lines[line - 1];
  };
}

export type ExtraFormats = Record<string, Reporter>;

async function reporterFor(format: string, extra: ExtraFormats): Promise<Reporter> {
  const own = extra[format];
  if (own) return own;
  const { reporters } = await import('../report/index.js');
  const reporter = (reporters as Record<string, Reporter | undefined>)[format];
  if (!reporter) throw new PalisadeError('USAGE', `unknown output format "${format}"; expected one of ${[...Object.keys(extra), ...REPORT_FORMATS].join(', ')}`, { errorClass: 'fatal' });
  return reporter;
}

/**
 * Print the report on stdout in --format, write each --output, and return the exit code of
 * DESIGN.md: 2 when nothing could be read (or any input error with --strict), 1 when a finding is
 * at or above --fail-on, else 0.
 */
export async function emit(report: Report, options: OutputOptions, io: { loadErrors?: readonly PalisadeError[]; nothingRead?: boolean; sourceLine?: ReportContext['sourceLine']; extraFormats?: ExtraFormats } = {}): Promise<number> {
  const extra = io.extraFormats ?? {};
  const color = options.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true;
  const context: ReportContext = { color, showSuppressed: options.showSuppressed === true, ruleInfo: await ruleInfoFromCatalogue(), ...(io.sourceLine ? { sourceLine: io.sourceLine } : {}) };
  const stdoutText = (await reporterFor(options.format, extra))(report, context);
  for (const spec of options.output ?? []) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new PalisadeError('USAGE', `--output expects format=file, got "${spec}"`, { errorClass: 'fatal' });
    const format = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    const text = (await reporterFor(format, extra))(report, { ...context, color: false });
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text.endsWith('\n') ? text : text + '\n');
    // A page people open: say where it is (other formats are read by machines that know).
    if (format === 'html') process.stderr.write(`HTML report written to ${file}: open it in a browser\n`);
  }
  process.stdout.write(stdoutText.endsWith('\n') || stdoutText === '' ? stdoutText : stdoutText + '\n');
  const loadErrors = io.loadErrors ?? [];
  if (io.nothingRead || (options.strict && loadErrors.length > 0)) return 2;
  return failsOn(report.findings, options.failOn) ? 1 : 0;
}

/** How a check family reads in reports that group by it (the HTML report's charts and filters). */
const FAMILY_NAMES: Record<string, string> = { pss: 'Pod Security Standards', audit: 'Posture', dockerfile: 'Dockerfile', image: 'Image', netpol: 'Network', model: 'Model files', rbac: 'RBAC', auditlog: 'Audit log', admission: 'Admission', verify: 'Signatures' };

/** Check descriptions for SARIF rules and PolicyReport categories, from the checks' own metadata. */
async function ruleInfoFromCatalogue(): Promise<(checkId: string) => RuleInfo | undefined> {
  const { catalogue } = await import('../audit/catalogue.js');
  const byId = new Map(catalogue().map((entry) => [entry.id, { description: entry.description, category: entry.module === 'pss' ? 'Pod Security Standards' : 'Security', family: FAMILY_NAMES[entry.module] ?? entry.module } satisfies RuleInfo]));
  return (checkId) => byId.get(checkId);
}

export function failsOn(findings: readonly Finding[], failOn: Severity | 'none'): boolean {
  if (failOn === 'none') return false;
  const threshold = SEVERITY_RANK[failOn];
  return findings.some((f) => !f.suppressed && SEVERITY_RANK[f.severity] >= threshold);
}

/** Nothing usable was read: every path failed, or there were errors and no resource at all. */
export function nothingRead(loaded: LoadResult): boolean {
  return loaded.resources.length === 0 && loaded.dockerfiles.length === 0 && loaded.errors.length > 0;
}
