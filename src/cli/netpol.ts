import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { PalisadeError } from '../core/errors.js';
import { load, type LoadResult } from '../core/load.js';
import type { Finding, Report } from '../core/types.js';
import type { Connection, Explanation, IntentResult, NetpolModel, Protocol } from '../netpol/index.js';
import type { Reporter } from '../report/types.js';
import { addOutputOptions, emit, errorFindings, makeReport, nothingRead, sourceLines, type ExtraFormats, type OutputOptions } from './common.js';

/** matrix formats of np-guard, on top of the shared reporters (json is the shared one). */
const MATRIX_FORMATS = ['txt', 'json', 'csv', 'md', 'dot', 'sarif', 'junit', 'github'] as const;

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
      const connections = model && model.errors.length === 0 ? toConnections(computeMatrix(model, loaded.resources)) : [];
      const report = makeReport(paths, findings, { connections });
      const view = (f: (c: Connection[]) => string): Reporter => (r) => f(r.connections as Connection[]);
      const formats: ExtraFormats = { txt: view(formatTxt), csv: view(formatCsv), md: view(formatMd), dot: view(formatDot) };
      setExit(await finish(report, options, loaded, model, formats));
    });
  // np-guard's txt lines are what people read here, so they are the default.
  matrix.setOptionValueWithSource('format', 'txt', 'default');

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
    if (model && model.errors.length === 0) {
      const { explain, matchPeers } = await import('../netpol/index.js');
      const port = options.port ? parsePort(options.port) : undefined;
      const sources = matchPeers(model, options.from, 'source');
      const destinations = matchPeers(model, options.to, 'destination');
      if (sources.length === 0 || destinations.length === 0) throw new PalisadeError('USAGE', `no peer matches ${sources.length === 0 ? `--from ${options.from}` : `--to ${options.to}`}`, { errorClass: 'fatal' });
      for (const src of sources) for (const dst of destinations) if (src !== dst) explanations.push(explain(model, src.id, dst.id, port) as Explanation);
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
    if (model && model.errors.length === 0 && intents) {
      const { verifyIntents } = await import('../netpol/index.js');
      results = verifyIntents(model, intents);
      findings.push(...results.filter((r) => !r.holds).map(intentFinding));
    }
    const report = makeReport([intentsPath, ...paths], findings, { intents: results.map((r) => ({ name: r.intent.name, holds: r.holds, location: r.intent.location, ...(r.counterexample ? { counterexample: r.counterexample } : {}), ...(r.unmatched ? { unmatched: r.unmatched } : {}) })) });
    setExit(await finish(report, options, loaded, model, {}));
  });

  netpol
    .command('generate')
    .description('least-privilege NetworkPolicies: per-namespace default deny plus the allows the intents need')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .requiredOption('--intents <file>', 'the NetworkIntents YAML file the policies must satisfy')
    .option('--no-dns', 'do not add the per-namespace rule that lets pods reach kube-dns on 53/UDP and 53/TCP')
    .action(async (paths: string[], options: { intents: string; dns: boolean }) => {
      const { loaded, model, intents } = await analyse([options.intents, ...paths], { format: 'text', failOn: 'high' });
      const errors = [...loaded.errors, ...(model?.errors ?? [])];
      if (errors.length > 0 || !model || !intents) {
        for (const e of errors) process.stderr.write(`palisade: ${e.format()}\n`);
        setExit(2);
        return;
      }
      const { flowsFromIntents, generatePolicies } = await import('../netpol/index.js');
      const policies = generatePolicies(model, flowsFromIntents(model, intents), { dns: options.dns });
      process.stdout.write(policies.map((p) => stringify(p)).join('---\n'));
      setExit(0);
    });
}

/** Load, build the model (and read the intents among the inputs). Invalid policies become findings. */
async function analyse(paths: string[], options: NetpolOptions): Promise<{ loaded: LoadResult; model?: NetpolModel; findings: Finding[]; intents?: import('../netpol/index.js').Intent[] }> {
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
async function finish(report: Report, options: NetpolOptions, loaded: LoadResult, model: NetpolModel | undefined, formats: ExtraFormats): Promise<number> {
  const code = await emit(report, options, { loadErrors: loaded.errors, nothingRead: nothingRead(loaded), sourceLine: sourceLines(loaded), extraFormats: formats });
  if (model && model.errors.length > 0) {
    for (const e of model.errors) process.stderr.write(`palisade: ${e.format()}\n`);
    return 2;
  }
  return code;
}

function parsePort(text: string): { protocol: Protocol; port: number } {
  const match = /^(\d{1,5})(?:\/(TCP|UDP|SCTP))?$/i.exec(text);
  const port = Number(match?.[1]);
  if (!match || port < 1 || port > 65535) throw new PalisadeError('USAGE', `--port expects PORT[/TCP|UDP|SCTP], got "${text}"`, { errorClass: 'fatal' });
  return { port, protocol: (match[2]?.toUpperCase() ?? 'TCP') as Protocol };
}

function intentFinding(result: IntentResult): Finding {
  const why = result.unmatched ? `no peer matches "${result.unmatched}"` : `counterexample: ${result.counterexample?.src} => ${result.counterexample?.dst} : ${result.counterexample?.conns}`;
  return { checkId: 'NETPOL_INTENT_BROKEN', severity: 'high', title: 'Network intent does not hold', message: `intent "${result.intent.name}" does not hold; ${why}`, location: result.intent.location, remediation: 'change the policies (palisade netpol generate writes least-privilege ones) or the intent.' };
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
