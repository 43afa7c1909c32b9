import { statSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { IntentResult } from '../../netpol/index.js';
import { addOutputOptions, checkInputPaths, makeReport } from '../common.js';
import { addClusterOptions } from '../cluster.js';
import { analyse, compatOption, finish, meshAnalysis, type NetpolOptions } from './shared.js';

/** `palisade netpol verify`: check NetworkIntents; exit 1 with a counterexample per broken intent. */
export function registerVerify(netpol: Command, setExit: (code: number) => void): void {
  const command = netpol
    .command('verify')
    .description('check network intents (a NetworkIntents file); exit 1 with a counterexample per broken intent')
    .argument('<intents>', 'the NetworkIntents YAML file, or a directory holding it')
    .argument('[paths...]', 'manifest files or directories (default: the intents directory when <intents> is one, else ".")')
    .addOption(new Option('--resolution <level>', 'with Calico, Cilium or Istio objects: name counterexample ends as pods, or as workloads ns/name[Kind] (default: workloads for an intent that names one)').choices(['pod', 'deployment']))
    .addOption(compatOption());
  addClusterOptions(command, { namespace: false });
  addOutputOptions(command).action(async (intentsPath: string, givenPaths: string[], options: NetpolOptions & { resolution?: 'pod' | 'deployment' }) => {
    checkInputPaths([intentsPath], 'the NetworkIntents file');
    // `verify DIR` reads the intents and the manifests from DIR; a file alone is checked against ".".
    const paths = givenPaths.length > 0 || isDirectory(intentsPath) ? givenPaths : ['.'];
    const analysis = await analyse([intentsPath, ...paths], options);
    const { model, findings, intents } = analysis;
    let results: IntentResult[] = [];
    // The mesh layers load only when the input holds Calico, Cilium or Istio objects.
    const { isMeshResource } = await import('../../netpol/reach/index.js');
    if (options.compat === undefined && !analysis.nothing && analysis.loaded.resources.some(isMeshResource)) {
      // Calico, Cilium or Istio in the input: every layer decides, to the HTTP method and path.
      const { layers, mesh } = await meshAnalysis(analysis, intents ?? []);
      const meshResults = model.errors.length === 0 && intents ? layers.verifyMeshIntents(mesh, intents, options.resolution) : [];
      findings.push(...meshResults.filter((r) => !r.holds).map(layers.meshIntentFinding));
      const nothing = analysis.nothing ?? (model.errors.length === 0 && !intents ? `nothing to verify: no NetworkIntents object (apiVersion palisade.dev/v1alpha1) in ${[intentsPath, ...paths].join(', ')}` : undefined);
      const report = makeReport([intentsPath, ...paths], findings, { intents: meshResults.map((r) => ({ name: r.intent.name, holds: r.holds, location: r.intent.location, ...(r.counterexample ? { counterexample: r.counterexample } : {}), ...(r.unmatched ? { unmatched: r.unmatched } : {}) })) });
      setExit(await finish(report, options, { ...analysis, ...(nothing ? { nothing } : {}) }, {}));
      return;
    }
    if (model.errors.length === 0 && intents) {
      const { verifyIntents, intentFinding } = await import('../../netpol/index.js');
      results = verifyIntents(model, intents);
      findings.push(...results.filter((r) => !r.holds).map(intentFinding));
    }
    // No intent to check is nothing verified, never a pass.
    const nothing = analysis.nothing ?? (model.errors.length === 0 && !intents ? `nothing to verify: no NetworkIntents object (apiVersion palisade.dev/v1alpha1) in ${[intentsPath, ...paths].join(', ')}` : undefined);
    const report = makeReport([intentsPath, ...paths], findings, { intents: results.map((r) => ({ name: r.intent.name, holds: r.holds, location: r.intent.location, ...(r.counterexample ? { counterexample: r.counterexample } : {}), ...(r.unmatched ? { unmatched: r.unmatched } : {}) })) });
    setExit(await finish(report, options, { ...analysis, ...(nothing ? { nothing } : {}) }, {}));
  });
}


function isDirectory(path: string): boolean {
  return path !== '-' && statSync(path).isDirectory();
}
