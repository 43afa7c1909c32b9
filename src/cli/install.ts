import type { Command } from 'commander';

interface InstallCliOptions {
  print?: boolean;
  namespace: string;
  image?: string;
  certManager?: boolean;
  failurePolicy: string;
  timeoutSeconds: string;
  certDays: string;
  job?: boolean;
  schedule: string;
  shardBy?: string;
  shards?: string;
}

/** `palisade install --print`: the manifests that run `palisade serve` in a cluster. */
export function register(program: Command): void {
  program
    .command('install')
    .description('print the manifests that run the admission webhook (Deployment, PDB, Service, NetworkPolicy, RBAC, webhooks, certificate), or with --job the in-cluster audit CronJob')
    .option('--print', 'write the manifests to stdout (pipe them to kubectl apply -f -)')
    .option('--namespace <name>', 'namespace of the webhook (excluded from its own webhooks, with kube-system)', 'palisade')
    .option('--image <ref>', 'palisade container image (prefer repo@sha256:…)')
    .option('--cert-manager', 'let cert-manager issue the serving certificate and inject caBundle (default: a self-signed CA generated now)')
    .option('--failure-policy <policy>', 'Fail or Ignore: what the API server does when the webhook cannot answer', 'Fail')
    .option('--timeout-seconds <n>', 'webhook timeoutSeconds (1-30); palisade answers one second earlier', '10')
    .option('--cert-days <n>', 'validity of the generated serving certificate', '365')
    .option('--job', 'instead of the webhook: a CronJob that audits its own cluster read-only and writes PolicyReports back, with its ServiceAccount and ClusterRole')
    .option('--schedule <cron>', 'with --job: when the audit runs', '17 */6 * * *')
    .option('--shard-by <key>', 'with --job: split each run among pods of an Indexed Job, by namespace (namespace)')
    .option('--shards <n>', 'with --shard-by: how many pods share a run', '4')
    .action(async (opts: InstallCliOptions) => {
      const { PalisadeError } = await import('../core/errors.js');
      const { DEFAULT_IMAGE, installYaml } = await import('../admission/index.js');
      const usage = (message: string): never => {
        throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
      };
      if (!opts.print) usage('palisade install only prints manifests: pass --print (and pipe to kubectl apply -f -)');
      if (opts.failurePolicy !== 'Fail' && opts.failurePolicy !== 'Ignore') usage('--failure-policy must be Fail or Ignore');
      const timeoutSeconds = Number(opts.timeoutSeconds);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 2 || timeoutSeconds > 30) usage('--timeout-seconds must be an integer from 2 to 30');
      const certificateDays = Number(opts.certDays);
      if (!Number.isInteger(certificateDays) || certificateDays < 1) usage('--cert-days must be a positive integer');
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(opts.namespace)) usage(`--namespace ${opts.namespace} is not a valid namespace name`);
      if (opts.shardBy !== undefined && !opts.job) usage('--shard-by is an option of --job');
      if (opts.job) {
        if (opts.shardBy !== undefined && opts.shardBy !== 'namespace') usage(`--shard-by must be namespace, got "${opts.shardBy}"`);
        const shards = opts.shardBy === undefined ? 1 : Number(opts.shards);
        if (!Number.isInteger(shards) || shards < 1 || shards > 1000) usage('--shards must be an integer from 1 to 1000');
        if (opts.schedule.trim().split(/\s+/).length !== 5 && !opts.schedule.startsWith('@')) usage(`--schedule must be a cron expression of five fields (or @hourly, @daily…), got "${opts.schedule}"`);
        const { jobYaml } = await import('../cluster/index.js');
        process.stdout.write(jobYaml({ namespace: opts.namespace, image: opts.image ?? DEFAULT_IMAGE, schedule: opts.schedule, shards, ...(opts.shardBy === 'namespace' ? { shardBy: 'namespace' as const } : {}) }));
        return;
      }
      process.stdout.write(
        installYaml({
          namespace: opts.namespace,
          image: opts.image ?? DEFAULT_IMAGE,
          certificates: opts.certManager ? 'cert-manager' : 'self-signed',
          failurePolicy: opts.failurePolicy as 'Fail' | 'Ignore',
          timeoutSeconds,
          certificateDays,
        }),
      );
    });
}
