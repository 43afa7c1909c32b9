import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { PalisadeError } from '../core/errors.js';
import { load, type LoadResult } from '../core/load.js';
import type { Finding, Report } from '../core/types.js';
import type { Connection, Explanation, Intent, IntentResult, NetpolModel, Protocol } from '../netpol/index.js';
import type { Reporter } from '../report/types.js';
import { addOutputOptions, emit, errorFindings, makeReport, nothingRead, sourceLines, type ExtraFormats, type OutputOptions } from './common.js';

/** matrix formats of np-guard, on top of the shared reporters (json is the shared one). */
const MATRIX_FORMATS = ['txt', 'json', 'csv', 'md', 'dot', 'sarif', 'junit', 'github'] as const;
/** Formats that print connections only, no findings. */
const MATRIX_ONLY_FORMATS = new Set(['txt', 'csv', 'md', 'dot']);

interface NetpolOptions extends OutputOptions {
  compat?: string;
}

const compatOption = (): Option => new Option('--compat <tool>', "reproduce another analyzer's modelling: np-guard (ipBlocks never match pods, built-in workload kinds only, IPv4 only)").choices(['np-guard']);

export function register(program: Command, setExit: (code: number) => void): void {
  const netpol = program.command('netpol').description('NetworkPolicy / AdminNetworkPolicy reachability: matrix, explain, verify, generate');

  const matrix = addOutputOptions(
    netpol
      .command('matrix')
      .description('every allowed connection, as np-guard netpol-analyzer lists them (src => dst : conns)')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .addOption(compatOption()),
    MATRIX_FORMATS,
  )
    .action(async (paths: string[], options: NetpolOptions) => {
      const { loaded, model, findings } = await analyse(paths, options);
      const { computeMatrix, toConnections, formatTxt, formatCsv, formatMd, formatDot } = await import('../netpol/index.js');
      const connections = model.errors.length === 0 ? toConnections(computeMatrix(model, loaded.resources)) : [];
      const report = makeReport(paths, findings, { connections });
      const view = (f: (c: Connection[]) => string): Reporter => (r) => f(r.connections as Connection[]);
      const formats: ExtraFormats = { txt: view(formatTxt), csv: view(formatCsv), md: view(formatMd), dot: view(formatDot) };
      setExit(await finish(report, options, loaded, model, formats));
    });
  // np-guard's txt lines are what people read here, so they are the default.
  txtByDefault(matrix);

  addOutputOptions(
    netpol
      .command('explain')
      .description('is a connection allowed, and which policies and rules decide it (with file:line)')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .requiredOption('--from <peer>', 'source: NS/NAME, NS/NAME[Kind] or an IP address')
      .requiredOption('--to <peer>', 'destination: NS/NAME, NS/NAME[Kind] or an IP address')
      .option('--port <port>', 'one port, e.g. 8501/TCP (TCP when the protocol is left out)')
      .addOption(compatOption()),
  ).action(async (paths: string[], options: NetpolOptions & { from: string; to: string; port?: string }) => {
    const { loaded, model, findings } = await analyse(paths, options);
    const explanations: Explanation[] = [];
    if (model.errors.length === 0) {
      const { explain, matchPeers } = await import('../netpol/index.js');
      const port = options.port ? parsePort(options.port) : undefined;
      const sources = matchPeers(model, options.from, 'source');
      const destinations = matchPeers(model, options.to, 'destination');
      if (sources.length === 0 || destinations.length === 0) throw new PalisadeError('USAGE', `no peer matches ${sources.length === 0 ? `--from ${options.from}` : `--to ${options.to}`}`, { errorClass: 'fatal' });
      for (const src of sources) {
        for (const dst of destinations) {
          const explanation = src === dst ? undefined : explain(model, src.id, dst.id, port);
          if (explanation) explanations.push(explanation);
        }
      }
    }
    const report = makeReport(paths, findings, { explanations });
    setExit(await finish(report, { ...options, format: options.format === 'text' ? 'explain' : options.format }, loaded, model, { explain: (r) => formatExplanations(r.explanations as Explanation[]) }));
  });

  addOutputOptions(
    netpol
      .command('verify')
      .description('check network intents (a NetworkIntents file); exit 1 with a counterexample per broken intent')
      .argument('<intents>', 'the NetworkIntents YAML file')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .addOption(compatOption()),
  ).action(async (intentsPath: string, paths: string[], options: NetpolOptions) => {
    const { loaded, model, findings, intents } = await analyse([intentsPath, ...paths], options);
    let results: IntentResult[] = [];
    if (model.errors.length === 0 && intents) {
      const { verifyIntents, intentFinding } = await import('../netpol/index.js');
      results = verifyIntents(model, intents);
      findings.push(...results.filter((r) => !r.holds).map(intentFinding));
    }
    const report = makeReport([intentsPath, ...paths], findings, { intents: results.map((r) => ({ name: r.intent.name, holds: r.holds, location: r.intent.location, ...(r.counterexample ? { counterexample: r.counterexample } : {}), ...(r.unmatched ? { unmatched: r.unmatched } : {}) })) });
    setExit(await finish(report, options, loaded, model, {}));
  });

  addOutputOptions(
    netpol
      .command('lint')
      .description('network findings: admin ports open to other namespaces, model servers reaching the metadata service or anywhere, policies that select nothing, shadowed rules')
      .argument('[paths...]', 'manifest files or directories', ['.'])
      .addOption(compatOption()),
  ).action(async (paths: string[], options: NetpolOptions) => {
    const { loaded, model, findings } = await analyse(paths, options);
    if (model.errors.length === 0) {
      const { lintNetwork } = await import('../netpol/index.js');
      findings.push(...lintNetwork(model));
    }
    setExit(await finish(makeReport(paths, findings), options, loaded, model, {}));
  });

  const diff = addOutputOptions(
    netpol
      .command('diff')
      .description('connections added, removed and changed between two revisions; exit 1 when a change opens a connection to a model server')
      .argument('<before>', 'the old revision: a manifest file or directory')
      .argument('<after>', 'the new revision: a manifest file or directory')
      .addOption(compatOption()),
    MATRIX_FORMATS,
  ).action(async (before: string, after: string, options: NetpolOptions) => {
    const { computeMatrix, diffMatrices, opensModelServer, formatDiffTxt, modelServerFinding } = await import('../netpol/index.js');
    const old = await analyse([before], options);
    const now = await analyse([after], options);
    const valid = old.model.errors.length === 0 && now.model.errors.length === 0;
    const entries = valid ? diffMatrices(computeMatrix(old.model, old.loaded.resources), computeMatrix(now.model, now.loaded.resources)) : [];
    const findings = [...old.findings, ...now.findings, ...entries.filter(opensModelServer).map(modelServerFinding)];
    const report = makeReport([before, after], findings, { diff: entries.map(({ src, dst, kind, before: b, after: a }) => ({ src, dst, kind, before: b, after: a })) });
    const loaded: LoadResult = { ...now.loaded, resources: [...old.loaded.resources, ...now.loaded.resources], errors: [...old.loaded.errors, ...now.loaded.errors] };
    const model = old.model.errors.length > 0 ? old.model : now.model;
    setExit(await finish(report, options, loaded, model, { txt: (r) => formatDiffTxt(r.diff as Parameters<typeof formatDiffTxt>[0]) }));
  });
  txtByDefault(diff);

  netpol
    .command('generate')
    .description('least-privilege NetworkPolicies: per-namespace default deny plus the allows the intents (or, without intents, the Services) need')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .option('--intents <file>', 'the NetworkIntents YAML file the policies must satisfy')
    .option('--no-dns', 'do not add the per-namespace rule that lets pods reach kube-dns on 53/UDP and 53/TCP')
    .action(async (paths: string[], options: { intents?: string; dns: boolean }) => {
      const { loaded, model, intents } = await analyse(options.intents ? [options.intents, ...paths] : paths, { format: 'text', failOn: 'high' });
      const errors = [...loaded.errors, ...model.errors];
      if (errors.length > 0 || (options.intents && !intents)) {
        for (const e of errors) process.stderr.write(`palisade: ${e.format()}\n`);
        setExit(2);
        return;
      }
      const { flowsFromIntents, flowsFromServices, generatePolicies, parseServices, DNS_PEER, DNS_PORTS, portsToConnections } = await import('../netpol/index.js');
      const DNS_CONNECTIONS = portsToConnections(DNS_PORTS);
      const flows = intents ? flowsFromIntents(model, intents) : flowsFromServices(model, parseServices(loaded.resources));
      // DNS intents are met by the per-namespace allow-dns policy, which opens 53/UDP and 53/TCP only.
      for (const intent of intents ?? []) {
        for (const target of intent.onlyTo.filter((t) => t.peer === DNS_PEER)) {
          if (!options.dns) process.stderr.write(`palisade: intent "${intent.name}" permits DNS, but --no-dns writes no rule for it\n`);
          else if (target.ports && !target.ports.subtract(DNS_CONNECTIONS).isEmpty()) process.stderr.write(`palisade: intent "${intent.name}" permits DNS on ${target.ports.toString()}; the allow-dns policy opens 53/UDP and 53/TCP only\n`);
        }
      }
      const policies = generatePolicies(model, flows, { dns: options.dns });
      process.stdout.write(policies.map((p) => stringify(p)).join('---\n'));
      setExit(0);
    });
}

function txtByDefault(command: Command): void {
  const format = command.options.find((o) => o.long === '--format');
  if (format) format.defaultValue = 'txt';
  command.setOptionValueWithSource('format', 'txt', 'default');
}

/** Load, build the model (and read the intents among the inputs). Invalid policies and intents become findings. */
async function analyse(paths: string[], options: NetpolOptions): Promise<{ loaded: LoadResult; model: NetpolModel; findings: Finding[]; intents?: Intent[] }> {
  const loaded = await load(paths);
  const { buildModel, parseIntents, isIntentsResource } = await import('../netpol/index.js');
  const intentResources = loaded.resources.filter(isIntentsResource);
  const model = buildModel(loaded.resources, options.compat === 'np-guard' ? 'np-guard' : 'cluster');
  const parsed = intentResources.map(parseIntents);
  const intentErrors = parsed.flatMap((p) => p.errors);
  model.errors.push(...intentErrors);
  const findings = errorFindings([...loaded.errors, ...model.errors, ...model.warnings]);
  return { loaded, model, findings, ...(intentResources.length > 0 ? { intents: parsed.flatMap((p) => p.intents) } : {}) };
}

/** netpol exits 2 on any invalid policy: a reachability answer computed without it would be false. */
async function finish(report: Report, options: NetpolOptions, loaded: LoadResult, model: NetpolModel, formats: ExtraFormats): Promise<number> {
  const code = await emit(report, options, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: formats });
  // The matrix formats carry no findings, so input errors also go to stderr, and so do warnings
  // (a selector read without a field it had, a CNI caveat) when stdout has no room for them.
  for (const e of [...loaded.errors, ...model.errors]) process.stderr.write(`palisade: ${e.format()}\n`);
  if (MATRIX_ONLY_FORMATS.has(options.format)) for (const w of model.warnings) process.stderr.write(`palisade: warning: ${w.format()}\n`);
  return model.errors.length > 0 ? 2 : code;
}

function parsePort(text: string): { protocol: Protocol; port: number } {
  const match = /^(\d{1,5})(?:\/(TCP|UDP|SCTP))?$/i.exec(text);
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535) throw new PalisadeError('USAGE', `--port expects PORT[/TCP|UDP|SCTP], got "${text}"`, { errorClass: 'fatal' });
  return { port, protocol: (match[2]?.toUpperCase() ?? 'TCP') as Protocol };
}

function formatExplanations(explanations: readonly Explanation[]): string {
  const lines: string[] = [];
  for (const e of explanations) {
    const what = e.port ? `${e.port.port}/${e.port.protocol}` : 'connections';
    lines.push(`${e.src} => ${e.dst}: ${what} ${e.allowed ? 'ALLOWED' : 'DENIED'} (allowed: ${e.conns})`);
    for (const d of [e.egress, e.ingress]) {
      lines.push(`  ${d.direction} (policies of ${d.end}): ${d.allowed ? 'allows' : 'denies'} (${d.conns})`);
      for (const s of d.steps) {
        const where = s.rule.location ? ` at ${s.rule.location.file}:${s.rule.location.line}:${s.rule.location.column}` : '';
        lines.push(`    ${s.tier}: ${s.effect} — ${s.rule.policy}: ${s.rule.description}${where}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
