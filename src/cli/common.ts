import { readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import { SEVERITIES, SEVERITY_RANK, summarize, type Finding, type Report, type Severity } from '../core/types.js';
import { VERSION } from '../core/version.js';
import type { Baseline } from '../report/baseline/index.js';
import type { Reporter, ReportContext, RuleInfo } from '../report/index.js';
import { batched, checkOutputPath, writeOutput } from './output.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'junit', 'policyreport', 'github', 'html'] as const;

export interface OutputOptions {
  format: string;
  output?: string[];
  /** A severity or none, optionally with `,warn` and `,audit` (see parseFailOn). */
  failOn: string;
  strict?: boolean;
  color?: boolean;
  showSuppressed?: boolean;
  quiet?: boolean;
  summary?: boolean;
  groupBy?: 'file' | 'check';
  baseline?: string;
}

/** Other spellings of a format; a command takes whichever of the pair it has. */
const FORMAT_ALIASES: Record<string, string> = { text: 'txt', txt: 'text', markdown: 'md', md: 'markdown', yml: 'yaml' };

/** `text` for a command whose format is `txt` (and back), or the name itself; undefined when unknown. */
export function canonicalFormat(value: string, formats: readonly string[]): string | undefined {
  if (formats.includes(value)) return value;
  const alias = FORMAT_ALIASES[value];
  return alias !== undefined && formats.includes(alias) ? alias : undefined;
}

export function formatOption(formats: readonly string[], description = 'output format on stdout', defaultFormat?: string): Option {
  const option = new Option('-f, --format <format>', `${description}: ${formats.join(', ')}`).argParser((value) => {
    const format = canonicalFormat(value, formats);
    if (format === undefined) throw new InvalidArgumentError(`expected one of ${formats.join(', ')}.`);
    return format;
  });
  const fallback = defaultFormat ?? (formats.includes('text') ? 'text' : formats[0]);
  return fallback === undefined ? option : option.default(fallback);
}

/** `--fail-on`: a severity (or none) and the PSS admission modes that fail the run besides enforce. */
export interface FailOn {
  severity: Severity | 'none';
  modes: ReadonlySet<'warn' | 'audit'>;
}

const FAIL_ON_HELP = `exit 1 on a finding at or above this severity (${SEVERITIES.join(', ')}, none); a pod spec the PSS level in force rejects fails at any value but none; add ,warn or ,audit to fail also on what a namespace only warns about or audits (e.g. high,warn)`;

export function parseFailOn(text: string): FailOn | undefined {
  const [first, ...rest] = text.split(',').map((part) => part.trim());
  if (first === undefined || !(first === 'none' || (SEVERITIES as readonly string[]).includes(first))) return undefined;
  const modes = new Set<'warn' | 'audit'>();
  for (const mode of rest) {
    if (mode !== 'warn' && mode !== 'audit') return undefined;
    modes.add(mode);
  }
  return { severity: first as Severity | 'none', modes };
}

export function failOnOption(description = FAIL_ON_HELP): Option {
  return new Option('--fail-on <severity>', description)
    .argParser((value) => {
      if (!parseFailOn(value)) throw new InvalidArgumentError(`expected a severity (${SEVERITIES.join(', ')}) or none, optionally followed by ,warn and/or ,audit.`);
      return value;
    })
    .default('high');
}

/** The options every reporting command shares: --format, --output fmt=file, --fail-on, --strict and the views. */
export function addOutputOptions(command: Command, formats: readonly string[] = REPORT_FORMATS, defaultFormat?: string): Command {
  command
    .addOption(formatOption(formats, 'output format on stdout', defaultFormat))
    .addOption(new Option('-o, --output <format=file>', 'also write a format to a file (repeatable), e.g. sarif=out.sarif; the directory must exist').argParser(collect))
    .addOption(failOnOption())
    .option('--strict', 'exit 2 on any input error, even when other input was read')
    .option('--baseline <report>', 'report only findings that are not in this earlier report (palisade --format json or sarif)')
    .option('--summary', 'text output: counts by severity, check and namespace instead of every finding')
    .addOption(new Option('--group-by <key>', 'text output: one heading per file or per check').choices(['file', 'check']).default('file'))
    .option('--show-suppressed', 'show suppressed findings in text output')
    .option('-q, --quiet', 'print nothing on stdout and no notes on stderr; the exit code and --output files still tell')
    .option('--no-color', 'never colour the text output');
  // Output files and the baseline are checked before any work: a typo fails in a second, not after the scan.
  command.hook('preAction', async (_, action) => {
    const options = action.opts<OutputOptions>();
    for (const spec of options.output ?? []) {
      const { format, file } = splitOutput(spec, formats);
      options.output = (options.output ?? []).map((s) => (s === spec ? `${format}=${file}` : s));
      checkOutputPath(file);
    }
    if (options.baseline !== undefined) {
      parseBaselineSync = (await import('../report/baseline/index.js')).parseBaseline;
      readBaseline(options.baseline);
    }
  });
  return command;
}

function splitOutput(spec: string, formats: readonly string[]): { format: string; file: string } {
  const eq = spec.indexOf('=');
  if (eq <= 0 || eq === spec.length - 1) throw new PalisadeError('USAGE', `--output expects format=file, got "${spec}"`, { errorClass: 'fatal' });
  const format = canonicalFormat(spec.slice(0, eq), formats);
  if (format === undefined) throw new PalisadeError('USAGE', `unknown output format "${spec.slice(0, eq)}" in --output ${spec}; expected one of ${formats.join(', ')}`, { errorClass: 'fatal' });
  return { format, file: spec.slice(eq + 1) };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

const baselines = new Map<string, Baseline>();

/** Read and parse a baseline once; a missing or foreign file is a usage error (exit 2). */
function readBaseline(file: string): Baseline {
  const known = baselines.get(file);
  if (known) return known;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new PalisadeError('USAGE', `cannot read --baseline ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
  }
  const parsed = parseBaselineSync(text);
  if (typeof parsed === 'string') throw new PalisadeError('USAGE', `--baseline ${file}: ${parsed}`, { errorClass: 'fatal' });
  baselines.set(file, parsed);
  return parsed;
}

/** The baseline reader, loaded on first use with the rest of the reporters. */
let parseBaselineSync: (text: string) => Baseline | string = () => 'internal error: baseline reader not loaded';

/** Input paths the user named must exist: a typo is an error, never an empty input (exit 2). */
export function checkInputPaths(paths: readonly string[], what?: string): void {
  const role = what === undefined ? '' : ` (${what})`;
  for (const path of paths) {
    if (path === '-') continue;
    try {
      statSync(path);
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new PalisadeError('LOAD_NOT_FOUND', code === 'ENOENT' || code === 'ENOTDIR' ? `no such file or directory: ${path}${role}` : `cannot read ${path}${role}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  }
}

/** What a run read, to say why there was nothing to check. */
export interface InputFacts {
  /** Files read (stdin counts as one). */
  files: number;
  /** Paths or files that could not be read. */
  unreadable: number;
  /** stdin was read and held nothing but whitespace. */
  emptyStdin?: boolean;
}

/** The stderr message of exit 2 when nothing usable was read, naming what was looked at. */
export function nothingToCheck(paths: readonly string[], facts: InputFacts, wanted: string): string {
  const where = paths.map((p) => (p === '-' ? 'stdin' : p)).join(', ');
  if (facts.emptyStdin && paths.every((p) => p === '-')) return `nothing to check: stdin was empty (did the command before the pipe fail?)`;
  if (facts.files === 0 && facts.unreadable > 0) return `nothing to check: nothing in ${where} could be read (see the errors reported)`;
  if (facts.files === 0) return `nothing to check: ${where} holds no ${wanted}`;
  return `nothing to check: the ${facts.files === 1 ? 'file' : `${facts.files} files`} read from ${where} hold no ${wanted}`;
}

/** A remark for people on stderr (no vulnerability database, a version read as latest); --quiet drops it. */
export function note(options: Pick<OutputOptions, 'quiet'>, message: string): void {
  if (!options.quiet) process.stderr.write(`palisade: note: ${message}\n`);
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

/** The formats whose reporters read check metadata (report/types.ts ruleInfo); only they load the catalogue. */
const RULE_INFO_FORMATS = new Set(['sarif', 'policyreport', 'html']);

async function reporterFor(format: string, extra: ExtraFormats): Promise<Reporter> {
  const own = extra[format];
  if (own) return own;
  const { REPORTER_MODULES } = await import('../report/run/index.js');
  const load = REPORTER_MODULES[format];
  const reporter = load ? await load() : undefined;
  if (!reporter) throw new PalisadeError('USAGE', `unknown output format "${format}"; expected one of ${[...Object.keys(extra), ...REPORT_FORMATS].join(', ')}`, { errorClass: 'fatal' });
  return reporter;
}

export interface EmitIo {
  loadErrors?: readonly PalisadeError[];
  /** Nothing usable was read: true, or the message naming what was looked at (printed on stderr). */
  nothingRead?: boolean | string;
  sourceLine?: ReportContext['sourceLine'];
  extraFormats?: ExtraFormats;
}

/**
 * Turn the findings into the report people see (a baseline's known findings dropped, repeats of a
 * check on one object grouped), print it on stdout in --format, write each --output, and return
 * the exit code: 2 when nothing could be read (or any input error with --strict) or an output
 * could not be written, 1 when the gate fails (see failsOn), else 0.
 */
export async function emit(report: Report, options: OutputOptions, io: EmitIo = {}): Promise<number> {
  const { groupFindings } = await import('../report/run/index.js');
  let findings = report.findings;
  if (options.baseline !== undefined) {
    const { newFindings, parseBaseline } = await import('../report/baseline/index.js');
    parseBaselineSync = parseBaseline;
    const kept = newFindings(findings, readBaseline(options.baseline));
    findings = kept.findings;
    // Counted as the report counts: one per check per object.
    report.baseline = { file: options.baseline, known: groupFindings(kept.known).length };
  }
  findings = groupFindings(findings);
  report.findings = findings;
  report.summary = summarize(findings);
  if (options.summary) {
    const { breakdown } = await import('../report/run/index.js');
    report.breakdown = breakdown(findings);
  }

  const extra = io.extraFormats ?? {};
  const color = options.color !== false && !process.env.NO_COLOR && process.stdout.isTTY === true;
  const context: ReportContext = {
    color,
    showSuppressed: options.showSuppressed === true,
    // The catalogue imports every check family: load it only for a format that shows its metadata.
    ...([options.format, ...(options.output ?? []).map((spec) => spec.slice(0, spec.indexOf('=')))].some((f) => RULE_INFO_FORMATS.has(f)) ? { ruleInfo: await ruleInfoFromCatalogue() } : {}),
    ...(io.sourceLine ? { sourceLine: io.sourceLine } : {}),
    ...(options.groupBy === 'check' ? { groupBy: 'check' as const } : {}),
    ...(options.summary ? { summaryOnly: true } : {}),
  };
  const nothing = io.nothingRead !== undefined && io.nothingRead !== false;
  // With nothing read, a clean text report would read as a pass: print it only when it has something to say.
  if (!options.quiet && !(nothing && findings.length === 0 && ['text', 'txt'].includes(options.format))) {
    const reporter = await reporterFor(options.format, extra);
    if (reporter.chunks) {
      for (const text of batched(endingWithNewline(reporter.chunks(report, context)))) await writeStdout(text);
    } else {
      const stdoutText = reporter(report, context);
      process.stdout.write(stdoutText.endsWith('\n') || stdoutText === '' ? stdoutText : stdoutText + '\n');
    }
  }
  let failedWrite = false;
  for (const spec of options.output ?? []) {
    const eq = spec.indexOf('=');
    const format = spec.slice(0, eq);
    const file = spec.slice(eq + 1);
    const reporter = await reporterFor(format, extra);
    const fileContext = { ...context, color: false };
    let text: string | Iterable<string>;
    if (reporter.chunks) {
      text = batched(endingWithNewline(reporter.chunks(report, fileContext)));
    } else {
      const whole = reporter(report, fileContext);
      text = whole.endsWith('\n') ? whole : whole + '\n';
    }
    try {
      await writeOutput(file, text);
      // A page people open: say where it is (other formats are read by machines that know).
      if (format === 'html' && !options.quiet) process.stderr.write(`HTML report written to ${file}: open it in a browser\n`);
    } catch (error) {
      process.stderr.write(`palisade: ${(error as PalisadeError).format()}\n`);
      failedWrite = true;
    }
  }
  if (typeof io.nothingRead === 'string') process.stderr.write(`palisade: ${io.nothingRead}\n`);
  const loadErrors = io.loadErrors ?? [];
  if (nothing || failedWrite || (options.strict && loadErrors.length > 0)) return 2;
  return failsOn(findings, options.failOn) ? 1 : 0;
}

function* endingWithNewline(pieces: Iterable<string>): Generator<string> {
  yield* pieces;
  yield '\n';
}

/** One piece of a large report on stdout, waiting for the pipe to take it when it is full. */
function writeStdout(text: string): Promise<void> | void {
  if (process.stdout.write(text)) return;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

/** How a check family reads in reports that group by it (the HTML report's charts and filters). */
const FAMILY_NAMES: Record<string, string> = { pss: 'Pod Security Standards', audit: 'Posture', dockerfile: 'Dockerfile', image: 'Image', netpol: 'Network', model: 'Model files', rbac: 'RBAC', auditlog: 'Audit log', admission: 'Admission', verify: 'Signatures' };

/** Check descriptions for SARIF rules and PolicyReport categories, from the checks' own metadata. */
export async function ruleInfoFromCatalogue(): Promise<(checkId: string) => RuleInfo | undefined> {
  const { catalogue } = await import('../audit/ruleset.js');
  const byId = new Map(catalogue().map((entry) => [entry.id, { description: entry.description, category: entry.module === 'pss' ? 'Pod Security Standards' : 'Security', family: FAMILY_NAMES[entry.module] ?? entry.module } satisfies RuleInfo]));
  return (checkId) => byId.get(checkId);
}

/**
 * The gate. A finding fails the run when it is not suppressed and:
 *  - it is a PSS violation of the level in force (`admission: enforce`): the API server would reject
 *    the pod, so it fails at every --fail-on but none, whatever the control's severity;
 *  - it is a PSS violation a namespace only warns about or audits: only when --fail-on names that
 *    mode (`high,warn`);
 *  - otherwise, when its severity is at or above --fail-on.
 */
export function failsOn(findings: readonly Finding[], failOn: string): boolean {
  const gate = parseFailOn(failOn) ?? { severity: 'high', modes: new Set() };
  const threshold = gate.severity === 'none' ? Infinity : SEVERITY_RANK[gate.severity];
  return findings.some((f) => {
    if (f.suppressed) return false;
    if (f.admission === 'enforce') return gate.severity !== 'none';
    if (f.admission === 'warn' || f.admission === 'audit') return gate.modes.has(f.admission);
    return SEVERITY_RANK[f.severity] >= threshold;
  });
}

/** Nothing usable was read: every path failed, or there were errors and no resource at all. */
export function nothingRead(loaded: LoadResult): boolean {
  return loaded.resources.length === 0 && loaded.dockerfiles.length === 0 && loaded.errors.length > 0;
}
