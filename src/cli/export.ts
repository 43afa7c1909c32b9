import { Option, type Command } from 'commander';
import type { PostureSelection } from '../export/index.js';
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
      .description(`Pod Security Standards and posture checks as ${ENGINE_TITLE[engine]}, in CEL`)
      .option('--level <level>', 'baseline or restricted for every namespace (default: the config\'s admission.podSecurity defaults with namespace labels, else restricted)')
      .option('--version <version>', 'policy version, v1.N or latest', 'latest')
      .option('--checks <ids>', 'comma-separated check ids or globs (PSS_RESTRICTED_*, upstream ids such as runAsNonRoot, posture ids such as HOST_PORT); default: all')
      .option('--config <file>', '.palisade.yaml: exemptions (with expiry), workloads rows, checks (enabled, severity, params), admission.podSecurity and admission.checks modes')
      .addOption(new Option('--mode <mode>', 'what a violation does: PSS with --level, and posture checks named in --checks that admission.checks gives no mode').choices(['enforce', 'warn', 'audit']).default('enforce'))
      .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
      .option('-o, --output <file>', 'write to a file instead of stdout')
      .action(async (flags: ExportFlags) => {
        await exportAdmission(engine, flags);
      });
  }
  command
    .command('falco')
    .description('Falco runtime rules (syscall source) for the model servers, notebooks and Ray workloads in the manifests: load them with falco -r')
    .argument('<paths...>', "manifest files or directories (NetworkPolicies among them set each workload's allowed egress)")
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (paths: string[], flags: { output?: string }) => {
      await exportFalcoRules(paths, flags);
    });
}

async function exportFalcoRules(paths: readonly string[], flags: { output?: string }): Promise<void> {
  const { PalisadeError } = await import('../core/errors.js');
  const { checkInputPaths, nothingRead } = await import('./common.js');
  const { load } = await import('../core/load.js');
  const { exportFalco } = await import('../export/index.js');
  checkInputPaths(paths);
  const loaded = await load(paths);
  if (nothingRead(loaded)) throw loaded.errors[0] ?? new PalisadeError('USAGE', 'nothing readable in the input', { errorClass: 'fatal' });
  for (const error of loaded.errors) process.stderr.write(`palisade: ${error.format()}\n`);
  const out = exportFalco(loaded.resources.map((r) => r.object as Record<string, unknown>));
  if (flags.output) {
    const { checkOutputPath, writeOutput } = await import('./output.js');
    checkOutputPath(flags.output);
    await writeOutput(flags.output, out.text);
  } else process.stdout.write(out.text);
}

async function exportAdmission(engine: Engine, flags: ExportFlags): Promise<void> {
  const { PalisadeError } = await import('../core/errors.js');
  const usage = (message: string): never => {
    throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
  };
  const { loadConfig } = await import('../core/config.js');
  const { admissionSettings, checksConfig, globalCheckMode } = await import('../admission/index.js');
  const { CHECKS } = await import('../checks/index.js');
  const { BUILTIN_WORKLOADS, workloadRowsFromConfig } = await import('../workloads/index.js');
  const { exportPosture, exportPss, parseExportVersion, POSTURE_NOT_EXPORTED, renderYaml, toGatekeeper, toKyverno, toVap } = await import('../export/index.js');
  const { PSS_CHECKS, pssCheckId } = await import('../pss/index.js');
  const { globMatches } = await import('../core/exemptions.js');

  const version = parseExportVersion(flags.version ?? 'latest') ?? usage(`--version ${String(flags.version)}: expected v1.N or latest`);
  if (flags.level !== undefined && flags.level !== 'baseline' && flags.level !== 'restricted') usage(`--level ${flags.level}: expected baseline or restricted`);
  const checks = flags.checks?.split(',').map((c) => c.trim()).filter(Boolean);
  const postureIds = CHECKS.map((c) => c.meta.id);
  for (const pattern of checks ?? []) {
    const known = PSS_CHECKS.some((c) => c.id === pattern || globMatches(pattern, pssCheckId(c.id))) || postureIds.some((id) => globMatches(pattern, id));
    if (!known) usage(`--checks ${pattern}: no exportable check has this id (see palisade checks list)`);
  }
  const config = flags.config !== undefined ? await loadConfig(flags.config, [], process.cwd()) : undefined;
  const settings = config ? admissionSettings(config) : undefined;
  const workloads = [...BUILTIN_WORKLOADS, ...workloadRowsFromConfig(config?.workloads ?? [])];
  const psa = settings?.psa;
  const usesPsaDefaults = flags.level === undefined && config?.admission !== undefined && (settings?.podSecurity !== undefined);
  const level = (flags.level ?? config?.pss.level ?? 'restricted') as 'baseline' | 'restricted' | 'privileged';
  const pss = exportPss({
    pss: usesPsaDefaults && psa ? { defaults: psa.defaults, version } : { level, version, mode: flags.mode },
    ...(checks ? { checks } : {}),
    workloads,
    configExemptions: config?.exemptions ?? [],
    ...(psa ? { psaExemptions: psa.exemptions } : {}),
  });
  // A policy whose checks were all deselected is not exported (nor its bindings).
  const kept = new Set(pss.policies.filter((p) => p.validations.length > 0).map((p) => p.name));

  // Posture checks: config `checks:` (enabled, severity, params, as the audit reads them) and the
  // mode `palisade serve` would give them cluster-wide (admission.checks, then the image settings);
  // a check named in --checks that no config mode covers takes --mode, the others audit (serve's default).
  const selections: PostureSelection[] = [];
  const notExported = [...pss.notExported];
  const effective = config && settings ? checksConfig(config, settings) : config;
  for (const check of CHECKS) {
    const id = check.meta.id;
    const named = checks?.some((c) => globMatches(c, id)) ?? false;
    if (checks !== undefined && !named) continue;
    const setting = effective?.checks[id];
    if (setting === false || (typeof setting === 'object' && setting.enabled === false)) {
      notExported.push({ id, reason: 'disabled in the config (checks:)' });
      continue;
    }
    const listed = POSTURE_NOT_EXPORTED.find((n) => n.id === id);
    if (listed) {
      notExported.push(listed);
      continue;
    }
    const parsed = check.meta.params.safeParse({ ...(check.meta.defaultParams as object), ...(typeof setting === 'object' ? (setting.params ?? {}) : {}) });
    if (!parsed.success) usage(`config field checks.${id}.params: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const mode = (settings ? globalCheckMode(settings, id) : undefined) ?? (named ? flags.mode : 'audit');
    if (mode === 'off') {
      notExported.push({ id, reason: 'mode off in admission.checks' });
      continue;
    }
    selections.push({ id, params: parsed.data as Record<string, unknown>, severity: typeof setting === 'object' && setting.severity ? setting.severity : check.meta.severity, mode });
  }
  const posture = exportPosture({ checks: selections, workloads, configExemptions: config?.exemptions ?? [] });
  if (selections.length > 0) {
    notExported.push({ id: 'palisade.dev/<mode> namespace labels', reason: "posture modes per namespace (the namespace's palisade.dev/<mode> labels, admission.namespaces) are not followed: each check has its cluster-wide mode" });
  }
  const bundle = {
    policies: [...pss.policies.filter((p) => kept.has(p.name)), ...posture.policies],
    bindings: [...pss.bindings.filter((b) => kept.has(b.policy)), ...posture.bindings],
    notExported: [...notExported, ...posture.notExported.filter((n) => !notExported.some((m) => m.id === n.id))],
  };
  // Checks left out are listed with their reasons at the top of the output; stderr names them so a pipeline's log shows it too.
  const skipped = bundle.notExported.filter((n) => /^[A-Z][A-Z0-9_]+$/.test(n.id)).map((n) => n.id);
  if (skipped.length > 0) process.stderr.write(`palisade: not exported (${skipped.length}, reasons at the top of the output): ${skipped.join(', ')}\n`);
  if (bundle.policies.length === 0) usage(`--checks: nothing left to export: ${bundle.notExported.filter((n) => /^[A-Z][A-Z0-9_]+$/.test(n.id)).map((n) => `${n.id} (${n.reason})`).join('; ') || 'no check selected'}`);
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
