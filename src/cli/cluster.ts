import { homedir } from 'node:os';
import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import type { ClusterSource, KubeClient, ReadOptions } from '../cluster/index.js';
import type { Report } from '../core/types.js';
import { ruleInfoFromCatalogue } from './common.js';

/** `--cluster` and its connection flags, shared by audit, pss, netpol, rbac and scan image. */
export interface ClusterFlags {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** -n: one namespace (audit, pss, scan image); netpol and rbac read every namespace. */
  namespace?: string;
  requestTimeout?: string;
  pageSize?: string;
  writePolicyReports?: boolean;
  shardBy?: string;
  shards?: string;
  shardIndex?: string;
}

export function addClusterOptions(command: Command, options: { namespace: boolean }): Command {
  command
    .option('--cluster', 'read the live cluster instead of files (read-only: get and list)')
    .option('--kubeconfig <file>', 'with --cluster: the kubeconfig (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
    .option('--context <name>', 'with --cluster: the kubeconfig context (default: its current-context)');
  if (options.namespace) command.option('-n, --namespace <ns>', 'with --cluster: read one namespace (and the cluster-scoped objects it depends on) instead of all');
  command.addOption(new Option('--request-timeout <seconds>', 'with --cluster: give up on one API request after this long').default('30'));
  command.addOption(new Option('--page-size <n>', 'with --cluster: objects per list page (limit/continue)').default('500').hideHelp());
  if (options.namespace) {
    command.option('--write-policy-reports', 'with --cluster: write the results back as wgpolicyk8s.io PolicyReports (one per namespace read) and a ClusterPolicyReport (the in-cluster job)');
    command.addOption(new Option('--shard-by <key>', 'with --cluster: audit a share of the cluster (the job\'s Indexed pods); the share is chosen by namespace name').choices(['namespace']));
    command.option('--shards <n>', 'with --shard-by: how many shares');
    command.option('--shard-index <i>', 'with --shard-by: which share, 0-based (default: $JOB_COMPLETION_INDEX, set by an Indexed Job)');
  }
  return command;
}

/** --shard-by/--shards/--shard-index (or $JOB_COMPLETION_INDEX) as {index, count}; undefined without --shard-by. */
export function shardFromFlags(flags: ClusterFlags, env: Readonly<Record<string, string | undefined>>): { index: number; count: number } | undefined {
  const usage = (message: string): never => {
    throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
  };
  if (flags.shardBy === undefined) {
    if (flags.shards !== undefined || flags.shardIndex !== undefined) usage('--shards and --shard-index need --shard-by namespace');
    return undefined;
  }
  if (!flags.cluster) usage('--shard-by needs --cluster');
  if (flags.namespace !== undefined) usage('--shard-by namespace and -n cannot be combined: a shard chooses its namespaces');
  const count = Number(flags.shards);
  if (!Number.isInteger(count) || count < 1) usage(`--shards must be a positive integer, got "${flags.shards ?? ''}"`);
  const indexText = flags.shardIndex ?? env.JOB_COMPLETION_INDEX;
  if (indexText === undefined) usage('--shard-by needs --shard-index, or $JOB_COMPLETION_INDEX (set in an Indexed Job)');
  const index = Number(indexText);
  if (!Number.isInteger(index) || index < 0 || index >= count) usage(`the shard index must be an integer from 0 to ${count - 1}, got "${indexText}"`);
  return { index, count };
}

/** Paths or --cluster, never both and never neither. */
export function checkSource(paths: readonly string[], flags: ClusterFlags, options: { defaultPaths?: boolean; namespaceFlag?: boolean } = {}): void {
  const usage = (message: string): never => {
    throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
  };
  if (flags.cluster) {
    if (paths.length > 0 && !options.defaultPaths) usage('give either paths or --cluster, not both');
    return;
  }
  if (flags.writePolicyReports) usage('--write-policy-reports needs --cluster');
  if (flags.shardBy !== undefined) usage('--shard-by needs --cluster');
  for (const flag of ['kubeconfig', 'context'] as const) if (flags[flag] !== undefined) usage(`--${flag} needs --cluster`);
  if (options.namespaceFlag && flags.namespace !== undefined) usage('-n/--namespace needs --cluster (with files, every object is read)');
  if (paths.length === 0) usage('missing paths: name files or directories (or - for stdin), or read a live cluster with --cluster');
}

/** Read the cluster the flags name. Exit 2 (a thrown fatal error) when it cannot be reached at all. */
export async function readClusterFromFlags(flags: ClusterFlags, options: { namespaced: boolean; read?: Pick<ReadOptions, 'kinds' | 'keepStatus'> }): Promise<ClusterSource & { client: KubeClient }> {
  const { loadCluster } = await import('../cluster/index.js');
  const seconds = Number(flags.requestTimeout ?? '30');
  const pageSize = Number(flags.pageSize ?? '500');
  if (!(seconds > 0)) throw new PalisadeError('USAGE', `--request-timeout must be a positive number of seconds, got "${flags.requestTimeout}"`, { errorClass: 'fatal' });
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new PalisadeError('USAGE', `--page-size must be a positive integer, got "${flags.pageSize}"`, { errorClass: 'fatal' });
  const shard = shardFromFlags(flags, process.env);
  const source = await loadCluster(
    {
      ...(shard ? { shard } : {}),
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { context: flags.context } : {}),
      ...(options.namespaced && flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      timeoutMs: seconds * 1000,
      pageSize,
      ...options.read,
    },
    { env: process.env, home: homedir() },
  );
  source.client.close();
  return source;
}

/**
 * The cluster's objects as one LoadResult (for the commands that load everything at once: netpol,
 * rbac). With `topLevel`, objects a controller made from a template that was also read (a
 * Deployment's ReplicaSets and Pods) are left out: the owner stands for them, as in manifests.
 */
export async function clusterLoadResult(source: ClusterSource, options: { topLevel?: boolean } = {}): Promise<LoadResult> {
  const { parseInput } = await import('../core/load.js');
  const result: LoadResult = { inputs: [source.read.server], resources: [], dockerfiles: [], errors: [...source.read.errors], skipped: 0, files: 0 };
  const owned = new Set(options.topLevel ? source.read.objects.filter((o) => source.index.owner(o) !== undefined).map((o) => o.url) : []);
  for (const input of source.inputs) {
    if (owned.has(input.path)) continue;
    const part = parseInput(input);
    result.resources.push(...part.resources);
    result.errors.push(...part.errors);
    result.files++;
  }
  return result;
}

/** What the JSON report says about the read: kinds and counts, what was refused, what is not installed. */
export function clusterSummary(source: ClusterSource): Record<string, unknown> {
  const { read } = source;
  return { server: read.server, kinds: read.kinds.map((k) => ({ kind: k.kind, group: k.group, version: k.version, objects: k.objects })), forbidden: read.forbidden, notServed: read.notServed };
}

/**
 * --write-policy-reports: the report's findings as PolicyReports for the namespaces this run read
 * (a clean namespace gets an empty one, so an old failure does not linger) and the
 * ClusterPolicyReport when the run speaks for the cluster-scoped objects. Returns 2 when a write failed.
 */
export async function writeBackReports(report: Report, source: ClusterSource & { client: KubeClient }, quiet: boolean): Promise<number> {
  const policyReportDocuments = await (await import('../report/run/index.js')).loadPolicyReportDocuments();
  const { KubeClient, writePolicyReports } = await import('../cluster/index.js');
  const documents = policyReportDocuments(report, { color: false, showSuppressed: true, ruleInfo: await ruleInfoFromCatalogue() }, source.read.scope);
  const client = new KubeClient(source.client.connection, { timeoutMs: source.client.timeoutMs, userAgent: 'palisade' });
  try {
    const result = await writePolicyReports(client, documents);
    for (const e of result.errors) process.stderr.write(`palisade: cannot write ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}: ${e.message}\n`);
    if (!quiet) process.stderr.write(`palisade: note: wrote ${result.written.length} policy report(s) to ${source.read.server}\n`);
    return result.errors.length > 0 ? 2 : 0;
  } finally {
    client.close();
  }
}

/**
 * netpol and rbac: the files named, or with --cluster the live objects (controllers standing for
 * what they made), plus any file named besides the default "." (intents, or policies to try
 * against the live cluster before applying them).
 */
export async function loadFilesOrCluster(paths: readonly string[], flags: ClusterFlags): Promise<{ loaded: LoadResult; inputs: string[]; cluster?: ClusterSource }> {
  const { load } = await import('../core/load.js');
  if (!flags.cluster) {
    for (const flag of ['kubeconfig', 'context'] as const) if (flags[flag] !== undefined) throw new PalisadeError('USAGE', `--${flag} needs --cluster`, { errorClass: 'fatal' });
    return { loaded: await load(paths), inputs: [...paths] };
  }
  const cluster = await readClusterFromFlags(flags, { namespaced: false });
  const loaded = await clusterLoadResult(cluster, { topLevel: true });
  const files = paths.filter((p) => p !== '.');
  if (files.length > 0) {
    const extra = await load(files);
    loaded.resources.push(...extra.resources);
    loaded.errors.push(...extra.errors);
    loaded.files += extra.files;
    loaded.skipped += extra.skipped;
  }
  return { loaded, inputs: [cluster.read.server, ...files], cluster };
}
