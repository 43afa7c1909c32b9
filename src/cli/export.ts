import { Option, type Command } from 'commander';
import { describe } from './commands.js';

interface ExportFlags {
  level?: string;
  version?: string;
  checks?: string;
  config?: string;
  mode: 'enforce' | 'warn' | 'audit';
  format: 'yaml' | 'json';
  output?: string;
}

type Engine = 'vap' | 'kyverno' | 'gatekeeper';

const ENGINE_TITLE: Record<Engine, string> = {
  vap: 'ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding (admissionregistration.k8s.io/v1)',
  kyverno: 'Kyverno ClusterPolicy (kyverno.io/v1) with validate.cel',
  gatekeeper: 'Gatekeeper ConstraintTemplate (K8sNativeValidation) + Constraint',
};

/** `palisade export vap|kyverno|gatekeeper|falco`. */
export function register(program: Command): void {
  const command = program.command('export').description(describe('export'));
  for (const engine of ['vap', 'kyverno', 'gatekeeper'] as const) {
    command
      .command(engine)
      .description(`Pod Security Standards as ${ENGINE_TITLE[engine]}, in CEL`)
      .option('--level <level>', 'baseline or restricted for every namespace (default: the config\'s admission.podSecurity defaults with namespace labels, else restricted)')
      .option('--version <version>', 'policy version, v1.N or latest', 'latest')
      .option('--checks <ids>', 'comma-separated check ids or globs (PSS_RESTRICTED_*, or upstream ids such as runAsNonRoot); default: all')
      .option('--config <file>', '.palisade.yaml: exemptions (with expiry), workloads rows, admission.podSecurity defaults and exemptions')
      .addOption(new Option('--mode <mode>', 'what a violation does with --level').choices(['enforce', 'warn', 'audit']).default('enforce'))
      .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .action(async (flags: ExportFlags) => {
        await exportAdmission(engine, flags);
      });
  }
}

async function exportAdmission(engine: Engine, flags: ExportFlags): Promise<void> {
  const { PalisadeError } = await import('../core/errors.js');
  const usage = (message: string): never => {
    throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
  };
  const { loadConfig } = await import('../core/config.js');
  const { admissionSettings } = await import('../admission/config.js');
  const { BUILTIN_WORKLOADS, workloadRowsFromConfig } = await import('../workloads/index.js');
  const { exportPss, parseExportVersion, renderYaml, toGatekeeper, toKyverno, toVap } = await import('../export/index.js');
  const { PSS_CHECKS, pssCheckId } = await import('../pss/index.js');
  const { globMatches } = await import('../core/exemptions.js');

  const version = parseExportVersion(flags.version ?? 'latest') ?? usage(`--version ${String(flags.version)}: expected v1.N or latest`);
  if (flags.level !== undefined && flags.level !== 'baseline' && flags.level !== 'restricted') usage(`--level ${flags.level}: expected baseline or restricted`);
  const checks = flags.checks?.split(',').map((c) => c.trim()).filter(Boolean);
  for (const pattern of checks ?? []) {
    const known = PSS_CHECKS.some((c) => c.id === pattern || globMatches(pattern, pssCheckId(c.id)));
    if (!known) usage(`--checks ${pattern}: no exportable check has this id (see palisade checks list)`);
  }
  const config = flags.config !== undefined ? await loadConfig(flags.config) : undefined;
  const settings = config ? admissionSettings(config) : undefined;
  const workloads = [...BUILTIN_WORKLOADS, ...workloadRowsFromConfig(config?.workloads ?? [])];
  const psa = settings?.psa;
  const usesPsaDefaults = flags.level === undefined && config?.admission !== undefined && (settings?.podSecurity !== undefined);
  const level = (flags.level ?? config?.pss.level ?? 'restricted') as 'baseline' | 'restricted' | 'privileged';
  const bundle = exportPss({
    pss: usesPsaDefaults && psa ? { defaults: psa.defaults, version } : { level, version, mode: flags.mode },
    ...(checks ? { checks } : {}),
    workloads,
    configExemptions: config?.exemptions ?? [],
    ...(psa ? { psaExemptions: psa.exemptions } : {}),
  });
  const objects = engine === 'vap' ? toVap(bundle) : engine === 'kyverno' ? toKyverno(bundle) : toGatekeeper(bundle);
  const text =
    flags.format === 'json'
      ? `${JSON.stringify({ engine, objects, notExported: bundle.notExported }, null, 2)}\n`
      : renderYaml(objects, bundle.notExported, `palisade export ${engine}: ${ENGINE_TITLE[engine]}`);
  if (flags.output) {
    const { checkOutputPath, writeOutput } = await import('./output.js');
    checkOutputPath(flags.output);
    await writeOutput(flags.output, text);
  } else process.stdout.write(text);
}
