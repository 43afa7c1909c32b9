import { Option, type Command } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { Explanation, Protocol } from '../../netpol/index.js';
import type { ConnEntry, MeshExplanation } from '../../netpol/layers/index.js';
import { addOutputOptions, makeReport } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, meshAnalysis, type NetpolOptions } from './shared.js';

/** `palisade netpol explain`: is a connection allowed, and which rules decide; exit 1 when it is denied, like `kubectl auth can-i`. */
export function registerExplain(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('explain')
    .description('is a connection allowed, and which policies and rules decide it (with file:line); exit 1 when denied')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .requiredOption('--from <peer>', 'source: NS/NAME, NS/NAME[Kind] or an IP address')
    .requiredOption('--to <peer>', 'destination: NS/NAME, NS/NAME[Kind] or an IP address')
    .option('--port <port>', 'one port, e.g. 8501/TCP (TCP when the protocol is left out)')
    .addOption(new Option('--resolution <level>', 'with Calico, Cilium or Istio objects: name the ends as pods, or as workloads ns/name[Kind] (default: workloads when --from or --to names one)').choices(['pod', 'deployment']))
    .addOption(compatOption());
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command).action(async (paths: string[], options: NetpolOptions & { from: string; to: string; port?: string; resolution?: 'pod' | 'deployment' }) => {
    const port = options.port ? parsePort(options.port) : undefined;
    const analysis = await analyse(paths, options);
    const { model, findings } = analysis;
    // The mesh layers load only when the input holds Calico, Cilium or Istio objects.
    const { isMeshResource } = await import('../../netpol/reach/index.js');
    if (options.compat === undefined && !analysis.nothing && analysis.loaded.resources.some(isMeshResource)) {
      // The layered engine: each layer's verdict on each end, and the rules that decided it.
      const { layers, mesh } = await meshAnalysis(analysis);
      const explanations: MeshExplanation[] = [];
      if (model.errors.length === 0) {
        const sources = layers.meshPeers(mesh, options.from);
        const destinations = layers.meshPeers(mesh, options.to);
        if (sources.length === 0 || destinations.length === 0) throw new PalisadeError('USAGE', `no endpoint matches ${sources.length === 0 ? `--from ${options.from}` : `--to ${options.to}`}`, { errorClass: 'fatal' });
        const number = port ? PROTOCOL_NUMBER[port.protocol] : undefined;
        const resolution = options.resolution ?? (layers.namesWorkload(mesh, options.from) || layers.namesWorkload(mesh, options.to) ? 'deployment' : 'pod');
        const seen = new Set<string>();
        for (const src of sources) {
          for (const dst of destinations) {
            if (src === dst) continue;
            const e = layers.explainMesh(mesh, src, dst, port && number !== undefined ? { protocol: number, port: port.port, text: `${port.port}/${port.protocol}` } : undefined, undefined, resolution);
            // Pods of one workload pair that the layers treat alike are one explanation.
            const key = JSON.stringify({ ...e, pods: undefined });
            if (seen.has(key)) continue;
            seen.add(key);
            explanations.push(e);
          }
        }
      }
      const report = makeReport(paths, findings, { explanations });
      const code = await finish(report, { ...options, format: options.format === 'text' ? 'explain' : options.format }, analysis, { explain: (r) => formatMeshExplanations(r.explanations as MeshExplanation[], layers.connsText) });
      setExit(code === 0 && explanations.some((e) => !e.allowed) ? 1 : code);
      return;
    }
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

/**
 * The tier as a reader knows it. A ClusterNetworkPolicy's rules sit in the AdminNetworkPolicy and
 * BaselineAdminNetworkPolicy tiers of the JSON contract; the text names the kind and its own tier.
 */
function tierLabel(step: Explanation['egress']['steps'][number]): string {
  if (!step.rule.id.startsWith('ClusterNetworkPolicy/')) return step.tier;
  return step.tier === 'BaselineAdminNetworkPolicy' ? 'ClusterNetworkPolicy (Baseline tier)' : 'ClusterNetworkPolicy (Admin tier)';
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
        lines.push(`    ${tierLabel(s)}: ${s.effect} — ${s.rule.policy}: ${s.rule.description}${where}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

const PROTOCOL_NUMBER: Record<string, number> = { TCP: 6, UDP: 17, SCTP: 132 };

function formatMeshExplanations(explanations: readonly MeshExplanation[], connsText: (c: 'All' | ConnEntry[]) => string): string {
  const lines: string[] = [];
  const text = (c: 'All' | ConnEntry[]): string => (c !== 'All' && c.length === 0 ? 'nothing' : connsText(c));
  for (const e of explanations) {
    lines.push(`${e.src} => ${e.dst}${e.pods ? ` (pods ${e.pods.src} => ${e.pods.dst})` : ''}: ${e.port ?? 'connections'} ${e.allowed ? 'ALLOWED' : 'DENIED'} (allowed: ${text(e.conns)})`);
    for (const l of e.layers) {
      const nothing = l.allowed !== 'All' && l.allowed.length === 0;
      // A tier whose defaultAction is Pass (an ANP's, a BANP's) lets what no rule matched through.
      const note = !l.captured ? 'not selected by any policy; ' : l.steps.length > 0 ? '' : nothing ? 'no rule matched (denied by default); ' : 'no rule matched (passed on to the next tier, then allowed); ';
      lines.push(`  ${l.layer}, ${l.direction} of ${l.end}: ${note}allows ${text(l.allowed)}`);
      for (const s of l.steps) {
        const where = s.location ? ` at ${s.location.file}:${s.location.line}:${s.location.column}` : '';
        lines.push(`    ${s.action}: ${s.rule}${where} (${text(s.conns)})`);
      }
    }
  }
  return lines.join('\n') + '\n';
}
