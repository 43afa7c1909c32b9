import { Option, type Command } from 'commander';
import type { PalisadeError } from '../core/errors.js';
import type { Report } from '../core/types.js';
import type { Reporter } from '../report/index.js';
import { addOutputOptions, emit, errorFindings, makeReport, REPORT_FORMATS, type OutputOptions } from './common.js';

export interface AuditLogFlags extends OutputOptions {
  rules?: string[];
  defaultRules?: boolean;
  ruleMatching?: 'all' | 'first';
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The rule options `audit-log`, `audit-log serve` and `audit-log rules` share. */
export function addRuleOptions(command: Command): Command {
  return command
    .option('-r, --rules <file>', "a Falco rules file, loaded after the defaults and the files before it (repeatable; appends and overrides apply as in 'falco -r')", collect)
    .option('--no-default-rules', "load only the --rules files: neither Falco's k8s audit rules nor palisade's ML rules")
    .addOption(new Option('--rule-matching <mode>', "'all' reports every rule an event matches; 'first' stops at the first, in load order (Falco's default)").choices(['all', 'first']).default('all'));
}

/** Reads the --rules files and loads them after the defaults; unreadable files are fatal (exit 2). */
export async function loadRulesFromFlags(flags: AuditLogFlags) {
  const { readFile } = await import('node:fs/promises');
  const { PalisadeError } = await import('../core/errors.js');
  const { loadRuleSet } = await import('../auditlog/index.js');
  const files = [];
  for (const path of flags.rules ?? []) {
    try {
      files.push({ name: path, text: await readFile(path, 'utf8') });
    } catch (cause) {
      throw new PalisadeError('CONFIG_NOT_FOUND', `cannot read rules file ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  }
  return loadRuleSet(files, { defaults: flags.defaultRules !== false });
}

/** Falco's JSON alert lines, as `falco -o json_output=true` prints them. */
const falcoReporter: Reporter = (report) => ((report.alerts as Array<Record<string, unknown>> | undefined) ?? []).map((a) => JSON.stringify(a)).join('\n');

export function register(program: Command, setExit: (code: number) => void): void {
  const command = program
    .command('audit-log')
    .description('detect attacks on ML serving in Kubernetes audit logs: Falco k8s audit rules and palisade ML rules, offline or as an audit webhook')
    .argument('[paths...]', "audit log files (JSON lines, EventList documents), or '-' for stdin (read as it arrives)")
    .enablePositionalOptions();
  addRuleOptions(command);
  addOutputOptions(command, [...REPORT_FORMATS, 'falco']).action(async (paths: string[], flags: AuditLogFlags) => {
    setExit(await runAuditLog(paths, flags));
  });
  const serve = command
    .command('serve')
    .description("receive the API server's audit webhook (EventList POSTs over HTTPS) and print alerts as they come")
    .requiredOption('--listen <host:port>', 'address to listen on, e.g. 0.0.0.0:8443 (port 0 picks a free port)')
    .requiredOption('--tls-cert <file>', 'PEM certificate for HTTPS')
    .requiredOption('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--client-ca <file>', "PEM CA bundle: require client certificates signed by it (the API server's webhook kubeconfig client-certificate)")
    .addOption(new Option('-f, --format <format>', 'alert format on stdout').choices(['falco', 'json']).default('falco'))
    .option('--max-body <bytes>', 'largest request body accepted (Falco: 12 MiB)', (v) => Number(v), 12 * 1024 * 1024);
  addRuleOptions(serve).action(async (flags: AuditLogFlags & { listen: string; tlsCert: string; tlsKey: string; clientCa?: string; maxBody: number }) => {
    const { serveAuditWebhook } = await import('./auditlog-serve.js');
    await serveAuditWebhook(flags);
  });
  const rules = command
    .command('rules')
    .description('print the loaded rules (name, priority, registry id, where defined) or, with --print, the default rule files');
  addRuleOptions(rules)
    .option('--print', 'print the default rule files, to copy and override')
    .action(async (flags: AuditLogFlags & { print?: boolean }) => {
      const { bundledRuleFiles, checkIdFor } = await import('../auditlog/index.js');
      if (flags.print) {
        for (const f of bundledRuleFiles()) process.stdout.write(`# ---- ${f.name}\n${f.text.endsWith('\n') ? f.text : f.text + '\n'}`);
        return;
      }
      const loaded = await loadRulesFromFlags(flags);
      for (const e of [...loaded.errors, ...loaded.warnings]) process.stderr.write(`palisade: ${e.format()}\n`);
      for (const r of loaded.rules) process.stdout.write(`${r.enabled ? 'on ' : 'off'}  ${r.priority.padEnd(13)} ${checkIdFor(r.name).padEnd(48)} ${r.name}  (${r.location.file}:${r.location.line})\n`);
      setExit(loaded.errors.length > 0 ? 2 : 0);
    });
}

async function runAuditLog(paths: string[], flags: AuditLogFlags): Promise<number> {
  const { PalisadeError } = await import('../core/errors.js');
  if (paths.length === 0) throw new PalisadeError('USAGE', "audit-log needs audit log files, or '-' to read stdin", { errorClass: 'fatal' });
  const { createReadStream } = await import('node:fs');
  const { hostname } = await import('node:os');
  const { alertToFinding, EventReader, falcoAlertJson, newEngine } = await import('../auditlog/index.js');
  const loaded = await loadRulesFromFlags(flags);
  const engine = newEngine(loaded, { ruleMatching: flags.ruleMatching ?? 'all' });
  const errors: PalisadeError[] = [...loaded.errors, ...loaded.warnings];
  const findings: ReturnType<typeof alertToFinding>[] = [];
  const alerts: Array<Record<string, unknown>> = [];
  const host = hostname();
  const streaming = flags.format === 'falco' || (flags.format === 'text' && paths.includes('-'));
  const keepAlerts = flags.format === 'falco' || (flags.output ?? []).some((o) => o.startsWith('falco='));
  let events = 0;
  let readable = 0;
  for (const path of paths) {
    const name = path === '-' ? '-' : path;
    const reader = new EventReader(
      name,
      (e) => {
        events++;
        for (const alert of engine.process(e.event, { file: e.file, line: e.line, column: 1 })) {
          const finding = alertToFinding(alert);
          findings.push(finding);
          if (keepAlerts) alerts.push(falcoAlertJson(alert, host));
          if (flags.format === 'falco') {
            process.stdout.write(JSON.stringify(falcoAlertJson(alert, host)) + '\n');
          } else if (streaming) {
            process.stdout.write(`${e.file}:${e.line}: ${alert.priority} ${alert.rule}: ${alert.output}\n`);
          }
        }
      },
      (error) => {
        errors.push(error);
        if (streaming) process.stderr.write(`palisade: ${error.format()}\n`);
      },
    );
    try {
      const stream = path === '-' ? process.stdin : createReadStream(path);
      stream.setEncoding('utf8');
      for await (const chunk of stream) reader.push(chunk as string);
      reader.end();
      readable++;
    } catch (cause) {
      const error = new PalisadeError('LOAD_NOT_FOUND', `cannot read ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: name, line: 1, column: 1 }, cause });
      errors.push(error);
      if (streaming) process.stderr.write(`palisade: ${error.format()}\n`);
    }
  }
  const report: Report = makeReport(paths, [...errorFindings(errors), ...findings], {
    events,
    rules: { loaded: loaded.rules.length, enabled: loaded.enabled.length },
    errors: errors.map((e) => e.toJSON()),
    ...(keepAlerts ? { alerts } : {}),
  });
  const nothingRead = readable === 0 || (events === 0 && errors.some((e) => e.errorClass !== 'warning')) || (loaded.enabled.length === 0 && loaded.errors.length > 0);
  if (streaming) {
    if (flags.format === 'text') process.stderr.write(`${events} events, ${findings.length} alerts, ${errors.length} errors\n`);
    // Streamed already: only --output files and the exit code remain.
    return emit(report, { ...flags, format: 'streamed' }, { loadErrors: errors, nothingRead, extraFormats: { streamed: () => '', falco: falcoReporter } });
  }
  return emit(report, flags, { loadErrors: errors, nothingRead, extraFormats: { falco: falcoReporter } });
}
