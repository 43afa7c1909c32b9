import type { Command } from 'commander';
import { stringify } from 'yaml';
import { addOutputOptions, errorFindings, makeReport, note, type OutputOptions } from '../common.js';
import { analyse, finish } from './shared.js';

/** `palisade netpol generate`: least-privilege NetworkPolicies, as YAML (default) or inside a JSON report. */
export function registerGenerate(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('generate')
    .description('least-privilege NetworkPolicies: per-namespace default deny plus the allows the intents (or, without intents, the Services) need; Istio AuthorizationPolicies for intents with methods or paths')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .option('--intents <file>', 'the NetworkIntents YAML file the policies must satisfy')
    .option('--no-dns', 'do not add the per-namespace rule that lets pods reach kube-dns on 53/UDP and 53/TCP');
  addOutputOptions(command, ['yaml', 'json'], 'yaml').action(async (paths: string[], options: OutputOptions & { intents?: string; dns: boolean }) => {
    const analysis = await analyse(options.intents ? [options.intents, ...paths] : paths, {});
    const { loaded, model, intents } = analysis;
    const errors = [...loaded.errors, ...model.errors];
    let policies: Array<Record<string, unknown>> = [];
    const nothing = analysis.nothing ?? (options.intents && !intents && errors.length === 0 ? `no NetworkIntents object in ${options.intents}` : undefined);
    if (errors.length === 0 && !nothing) {
      const { flowsFromIntents, flowsFromServices, generatePolicies, generateAuthorizationPolicies, parseServices, DNS_PEER, DNS_PORTS, portsToConnections } = await import('../../netpol/index.js');
      const DNS_CONNECTIONS = portsToConnections(DNS_PORTS);
      const flows = intents ? flowsFromIntents(model, intents) : flowsFromServices(model, parseServices(loaded.resources));
      // DNS intents are met by the per-namespace allow-dns policy, which opens 53/UDP and 53/TCP only.
      for (const intent of intents ?? []) {
        for (const target of intent.onlyTo.filter((t) => t.peer === DNS_PEER)) {
          if (!options.dns) note(options, `intent "${intent.name}" permits DNS, but --no-dns writes no rule for it`);
          else if (target.ports && !target.ports.subtract(DNS_CONNECTIONS).isEmpty()) note(options, `intent "${intent.name}" permits DNS on ${target.ports.toString()}; the allow-dns policy opens 53/UDP and 53/TCP only`);
        }
      }
      policies = generatePolicies(model, flows, { dns: options.dns }) as unknown as Array<Record<string, unknown>>;
      // Methods and paths are L7: Istio AuthorizationPolicies say them, beside the NetworkPolicies.
      const istio = generateAuthorizationPolicies(flows);
      policies.push(...(istio.policies as unknown as Array<Record<string, unknown>>));
      for (const text of istio.notes) note(options, text);
    }
    const report = makeReport(options.intents ? [options.intents, ...paths] : paths, errorFindings(errors), { policies });
    const yaml = (): string => (policies as unknown[]).map((p) => stringify(p)).join('---\n');
    const code = await finish(report, options, { ...analysis, ...(nothing ? { nothing } : {}) }, { yaml });
    // Policies generated without an unreadable file could open what it meant to close.
    setExit(errors.length > 0 ? 2 : code);
  });
}
