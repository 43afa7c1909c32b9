import type { Command } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { Explanation, Protocol } from '../../netpol/index.js';
import { addOutputOptions, makeReport } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, type NetpolOptions } from './shared.js';

/** `palisade netpol explain`: is a connection allowed, and which rules decide; exit 1 when it is denied, like `kubectl auth can-i`. */
export function registerExplain(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('explain')
    .description('is a connection allowed, and which policies and rules decide it (with file:line); exit 1 when denied')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .requiredOption('--from <peer>', 'source: NS/NAME, NS/NAME[Kind] or an IP address')
    .requiredOption('--to <peer>', 'destination: NS/NAME, NS/NAME[Kind] or an IP address')
    .option('--port <port>', 'one port, e.g. 8501/TCP (TCP when the protocol is left out)')
    .addOption(compatOption());
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command).action(async (paths: string[], options: NetpolOptions & { from: string; to: string; port?: string }) => {
    const port = options.port ? parsePort(options.port) : undefined;
    const analysis = await analyse(paths, options);
    const { model, findings } = analysis;
    const explanations: Explanation[] = [];
    if (model.errors.length === 0 && !analysis.nothing) {
      const { explain, matchPeers } = await import('../../netpol/index.js');
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
    const code = await finish(report, { ...options, format: options.format === 'text' ? 'explain' : options.format }, analysis, { explain: (r) => formatExplanations(r.explanations as Explanation[]) });
    // The answer is the exit code: 1 when a connection asked about is denied.
    setExit(code === 0 && explanations.some((e) => !e.allowed) ? 1 : code);
  });
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
