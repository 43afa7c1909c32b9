import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { Config } from '../core/config.js';
import type { InputText, LoadResult } from '../core/load.js';
import type { Finding, ResourceRef } from '../core/types.js';
import type { Level } from '../pss/index.js';
import type { NamespacePolicy, Policy } from '../pss/index.js';
import { addClusterOptions, checkSource, clusterSummary, readClusterFromFlags, writeBackReports, type ClusterFlags } from './cluster.js';
import { addOutputOptions, checkInputPaths, emit, errorFindings, makeReport, note, nothingToCheck, sourceLineFrom, type OutputOptions } from './common.js';
import { createProgress } from './progress.js';

/** What `pss` and `audit` share: manifest paths, the PSS policy flags, config, and the report. */
export interface ManifestFlags extends OutputOptions, ClusterFlags {
  level?: string;
  version?: string;
  config?: string;
}

export interface PolicyChoice {
  level?: Level;
  version?: string;
  /** From the config: the policy where no namespace label decides. */
  defaults?: Partial<Policy>;
  /** Namespace policies from every input, gathered before the per-file pass. */
  policies?: ReadonlyMap<string, NamespacePolicy>;
}

export interface ManifestOutcome {
  results: unknown[];
  findings: Finding[];
  errors: LoadResult['errors'];
}

/** What a command adds around the per-file loop. */
export interface ManifestHooks {
  /** After every file: findings that need all of them (the audit's cluster checks). */
  finish?: () => ManifestOutcome | Promise<ManifestOutcome>;
  /** A last look at the findings before the report is built (e.g. audit --framework). */
  present?: (findings: Finding[], flags: ManifestFlags) => { findings: Finding[]; extra?: Record<string, unknown> };
}

/**
 * Inputs are parsed and evaluated one file at a time, and each file's YAML tree is dropped before
 * the next is parsed, so memory stays flat on large inputs. Namespace labels are gathered first,
 * from the few files that mention them.
 */
export function manifestCommand(program: Command, name: string, description: string, setExit: (code: number) => void, run: (part: LoadResult, policy: PolicyChoice, config: Config) => ManifestOutcome | Promise<ManifestOutcome>, hooks: ManifestHooks = {}): Command {
  const command = program
    .command(name)
    .description(description)
    .argument('[paths...]', 'files, directories, or - for stdin (helm template … | palisade ' + name + ' -); or --cluster')
    .addOption(new Option('--level <level>', 'PSS level: privileged, baseline or restricted (default: namespace labels, else restricted)'))
    .addOption(new Option('--version <version>', 'PSS version v1.0 … v1.37 or latest (default: namespace labels, else latest)'))
    .option('-c, --config <file>', 'config file (default: the nearest .palisade.yaml at or above the first input)');
  addClusterOptions(command, { namespace: true });
  return addOutputOptions(command).action(async (paths: string[], flags: ManifestFlags) => {
    checkSource(paths, flags, { namespaceFlag: true });
    checkInputPaths(paths);
    const policy = await policyFromFlags(flags);
    const { readInputs, parseInput, loadText } = await import('../core/load.js');
    const { loadConfig } = await import('../core/config.js');
    const { namespacePolicies, PSA_LABEL_PREFIX } = await import('../pss/index.js');
    const config = await loadConfig(flags.config, paths, process.cwd());
    // The config's failOn applies unless --fail-on was typed.
    if (config.failOn !== undefined && command.getOptionValueSource('failOn') !== 'cli') flags.failOn = config.failOn;
    if (config.pss.level || config.pss.version) {
      policy.defaults = { ...config.pss };
      if (config.pss.version !== undefined) policy.defaults.version = await knownVersion(config.pss.version, 'the config\'s pss.version', flags);
    }

    const inputs: Array<InputText | PalisadeError> = [];
    // A live cluster is one more source of inputs: each object is read like a file (see src/cluster).
    const cluster = flags.cluster ? await readClusterFromFlags(flags, { namespaced: true }) : undefined;
    if (cluster) inputs.push(...cluster.inputs);
    else for await (const input of readInputs(paths)) inputs.push(input);
    const inputNames = cluster ? [cluster.read.server] : paths;
    const errors: PalisadeError[] = [];
    if (!policy.level && !policy.version) {
      const policies = new Map<string, NamespacePolicy>();
      for (const input of inputs) {
        if (input instanceof PalisadeError || input.dockerfile || !input.text.includes(PSA_LABEL_PREFIX)) continue;
        for (const [ns, p] of namespacePolicies(loadText(input.path, input.text).resources, errors)) policies.set(ns, p);
      }
      policy.policies = policies;
    }

    const findings: Finding[] = [];
    const results: unknown[] = [];
    let resources = 0;
    let dockerfiles = 0;
    let skipped = 0;
    const loadErrors: PalisadeError[] = [...(cluster?.read.errors ?? [])];
    const progress = createProgress(process.stderr, { enabled: !flags.quiet });
    let done = 0;
    for (const input of inputs) {
      progress.update(() => `${done} of ${inputs.length} files, ${findings.length} findings`);
      done++;
      const part = parseInput(input);
      loadErrors.push(...part.errors);
      resources += part.resources.length;
      dockerfiles += part.dockerfiles.length;
      skipped += part.skipped;
      const outcome = await run(part, policy, config);
      results.push(...outcome.results);
      findings.push(...outcome.findings);
      errors.push(...outcome.errors);
    }
    if (hooks.finish) {
      const outcome = await hooks.finish();
      results.push(...outcome.results);
      findings.push(...outcome.findings);
      errors.push(...outcome.errors);
    }
    // Running objects: one finding per owner (a Deployment, not its thirty pods), and where to fix it.
    const owned = cluster ? cluster.fold(findings).findings : findings;
    if (cluster) {
      // PSS results likewise: a Pod or ReplicaSet shows only when it still has a finding of its own.
      const refKey = (r: { kind?: string; namespace?: string; name?: string } | undefined): string => `${r?.kind}|${r?.namespace ?? ''}|${r?.name}`;
      const speaking = new Set(owned.map((f) => refKey(f.resource)));
      const kept = results.filter((r) => {
        const ref = (r as { resource?: ResourceRef }).resource;
        return !ref || !cluster.owned(ref) || speaking.has(refKey(ref));
      });
      results.length = 0;
      results.push(...kept);
    }
    const presented = hooks.present ? hooks.present(owned, flags) : { findings: owned };
    const texts = new Map(inputs.filter((i): i is InputText => !(i instanceof PalisadeError)).map((i) => [i.path, i.text]));
    const report = makeReport(inputNames, [...errorFindings([...loadErrors, ...errors]), ...presented.findings], { results, skipped, ...presented.extra, ...(cluster ? { cluster: clusterSummary(cluster) } : {}) });
    progress.done();
    // Nothing to check is never a pass: an empty directory, empty stdin (a failed `helm template |`), only unreadable files.
    const read = inputs.filter((i): i is InputText => !(i instanceof PalisadeError));
    const facts = { files: read.length, unreadable: inputs.length - read.length, emptyStdin: read.some((i) => i.path === '-' && i.text.trim() === '') };
    const nothingRead = resources === 0 && dockerfiles === 0 ? (cluster ? `nothing to check: no object could be read from ${cluster.read.server} (see the errors reported)` : nothingToCheck(paths, facts, 'Kubernetes object (a document with apiVersion and kind) or Dockerfile')) : false;
    const code = await emit(report, flags, { loadErrors, nothingRead, sourceLine: sourceLineFrom(texts) });
    // The in-cluster job: the results go back to the cluster as PolicyReports (a failed write fails the run).
    const written = cluster && flags.writePolicyReports ? await writeBackReports(report, cluster, flags.quiet === true) : 0;
    setExit(Math.max(code, written));
  });
}

async function policyFromFlags(flags: ManifestFlags): Promise<PolicyChoice> {
  const { parseLevel, parseVersion } = await import('../pss/index.js');
  const policy: PolicyChoice = {};
  if (flags.level !== undefined) {
    const level = parseLevel(flags.level);
    if (level === undefined) throw new PalisadeError('USAGE', `--level must be privileged, baseline or restricted, got "${flags.level}"`, { errorClass: 'fatal' });
    policy.level = level;
  }
  if (flags.version !== undefined) {
    const version = parseVersion(flags.version);
    if (version === undefined) throw new PalisadeError('USAGE', `--version must be v1.N (N ≥ 0) or latest, got "${flags.version}"`, { errorClass: 'fatal' });
    policy.version = await knownVersion(version, '--version', flags);
  }
  return policy;
}

/**
 * A version newer than the newest this palisade knows is evaluated as latest, with a note, as
 * the API server's PodSecurity admission does with a newer version label.
 */
export async function knownVersion(version: string, what: string, flags: Pick<OutputOptions, 'quiet'>): Promise<string> {
  const { LATEST_VERSION } = await import('../pss/index.js');
  const minor = (v: string): number => Number(/^v1\.(\d+)$/.exec(v)?.[1] ?? NaN);
  if (!(minor(version) > minor(LATEST_VERSION))) return version;
  note(flags, `${what} ${version} is newer than ${LATEST_VERSION}, the newest Pod Security Standards version this palisade knows; evaluating it as latest (${LATEST_VERSION}), as the API server does`);
  return 'latest';
}
