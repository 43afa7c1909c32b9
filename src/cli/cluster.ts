import { homedir } from 'node:os';
import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { LoadResult } from '../core/load.js';
import type { ClusterSource } from '../cluster/index.js';

/** `--cluster` and its connection flags, shared by audit, pss, netpol, rbac and scan image. */
export interface ClusterFlags {
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  /** -n: one namespace (audit, pss, scan image); netpol and rbac read every namespace. */
  namespace?: string;
  requestTimeout?: string;
  pageSize?: string;
}

export function addClusterOptions(command: Command, options: { namespace: boolean }): Command {
  command
    .option('--cluster', 'read the live cluster instead of files (read-only: get and list)')
    .option('--kubeconfig <file>', 'with --cluster: the kubeconfig (default: $KUBECONFIG, then ~/.kube/config, then the in-cluster service account)')
    .option('--context <name>', 'with --cluster: the kubeconfig context (default: its current-context)');
  if (options.namespace) command.option('-n, --namespace <ns>', 'with --cluster: read one namespace (and the cluster-scoped objects it depends on) instead of all');
  command.addOption(new Option('--request-timeout <seconds>', 'with --cluster: give up on one API request after this long').default('30'));
  command.addOption(new Option('--page-size <n>', 'with --cluster: objects per list page (limit/continue)').default('500').hideHelp());
  return command;
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
  for (const flag of ['kubeconfig', 'context'] as const) if (flags[flag] !== undefined) usage(`--${flag} needs --cluster`);
  if (options.namespaceFlag && flags.namespace !== undefined) usage('-n/--namespace needs --cluster (with files, every object is read)');
  if (paths.length === 0) usage('missing paths: name files or directories (or - for stdin), or read a live cluster with --cluster');
}

/** Read the cluster the flags name. Exit 2 (a thrown fatal error) when it cannot be reached at all. */
export async function readClusterFromFlags(flags: ClusterFlags, options: { namespaced: boolean }): Promise<ClusterSource> {
  const { loadCluster } = await import('../cluster/index.js');
  const seconds = Number(flags.requestTimeout ?? '30');
  const pageSize = Number(flags.pageSize ?? '500');
  if (!(seconds > 0)) throw new PalisadeError('USAGE', `--request-timeout must be a positive number of seconds, got "${flags.requestTimeout}"`, { errorClass: 'fatal' });
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new PalisadeError('USAGE', `--page-size must be a positive integer, got "${flags.pageSize}"`, { errorClass: 'fatal' });
  const source = await loadCluster(
    {
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { context: flags.context } : {}),
      ...(options.namespaced && flags.namespace !== undefined ? { namespace: flags.namespace } : {}),
      timeoutMs: seconds * 1000,
      pageSize,
    },
    { env: process.env, home: homedir() },
  );
  source.client.close();
  return source;
}

/** The cluster's objects as one LoadResult (for the commands that load everything at once: netpol, rbac). */
export async function clusterLoadResult(source: ClusterSource): Promise<LoadResult> {
  const { parseInput } = await import('../core/load.js');
  const result: LoadResult = { inputs: [source.read.server], resources: [], dockerfiles: [], errors: [...source.read.errors], skipped: 0, files: 0 };
  for (const input of source.inputs) {
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
