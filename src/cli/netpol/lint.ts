import type { Command } from 'commander';
import { addOutputOptions, makeReport } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, type NetpolOptions } from './shared.js';

/** `palisade netpol lint`: the network findings of `audit`, on their own. */
export function registerLint(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('lint')
    .description('network findings: admin ports open to other namespaces, model servers reaching the metadata service or anywhere, policies that select nothing, shadowed rules')
    .argument('[paths...]', 'manifest files or directories', ['.'])
    .addOption(compatOption());
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command).action(async (paths: string[], options: NetpolOptions) => {
    const analysis = await analyse(paths, options);
    const { model, findings } = analysis;
    if (model.errors.length === 0) {
      const { lintNetwork } = await import('../../netpol/index.js');
      findings.push(...lintNetwork(model));
    }
    setExit(await finish(makeReport(paths, findings), options, analysis, {}));
  });
}
