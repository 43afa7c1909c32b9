import type { Command } from 'commander';

interface ServeOptions {
  listen: string;
  tlsCert: string;
  tlsKey: string;
  config?: string;
  admissionConfig?: string;
  namespaces?: string[];
  kubeconfig?: string;
  context?: string;
  registryConfig?: string;
  insecureRegistry?: string[];
  enforceTemplates?: boolean;
  failurePolicy?: 'fail-closed' | 'fail-open';
  drainDelay: string;
  pin?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `palisade serve`: the validating and mutating admission webhook. */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the admission webhook: Pod Security as PSA, posture checks as policy, image pinning, per namespace')
    .requiredOption('--tls-cert <file>', 'serving certificate (PEM); reloaded when the file changes')
    .requiredOption('--tls-key <file>', 'its private key (PEM)')
    .option('--listen <host:port>', 'address to listen on', '0.0.0.0:8443')
    .option('--config <file>', '.palisade.yaml with an admission: section (checks, exemptions, images, failure policy)')
    .option('--admission-config <file>', "the API server's AdmissionConfiguration (or a PodSecurityConfiguration): PSA defaults and exemptions")
    .option('--namespaces <file>', 'offline: Namespace objects (YAML/JSON) whose labels decide; repeatable', collect)
    .option('--kubeconfig <file>', 'list and watch Namespaces through this kubeconfig (default: the in-cluster service account)')
    .option('--context <name>', 'kubeconfig context (default: current-context)')
    .option('--registry-config <file>', 'docker config.json with registry credentials for tag → digest lookups')
    .option('--insecure-registry <host>', 'plain-HTTP registry (repeatable)', collect)
    .option('--enforce-templates', 'deny controllers and CRDs whose pods the enforce level would deny (PSA only warns)')
    .option('--failure-policy <policy>', 'fail-closed or fail-open, for lookups that cannot finish in time and crashing checks')
    .option('--drain-delay <seconds>', 'after SIGTERM, serve this long with readiness false before closing', '5')
    .option('--no-pin', 'do not rewrite image tags to digests in /mutate')
    .action(async (opts: ServeOptions) => {
      const { readFile } = await import('node:fs/promises');
      const { parse } = await import('yaml');
      const { PalisadeError } = await import('../core/errors.js');
      const { loadConfig } = await import('../core/config.js');
      const { load } = await import('../core/load.js');
      const { checkById } = await import('../checks/index.js');
      const { admissionSettings, AdmissionEngine, AdmissionServer, buildVerifiers, checksConfig, NamespaceWatcher, StaticNamespaces, inClusterConnection, kubeconfigConnection, registryResolver } = await import('../admission/index.js');
      const { dockerConfigCredentials } = await import('../scan/image/remote/index.js');

      const fatal = (message: string): never => {
        throw new PalisadeError('USAGE', message, { errorClass: 'fatal' });
      };
      const match = /^(.*):(\d+)$/.exec(opts.listen);
      if (!match) fatal(`--listen must be host:port, got ${opts.listen}`);
      const host = match![1]!.replace(/^\[|\]$/g, '') || '0.0.0.0';
      const port = Number(match![2]);
      if (opts.failurePolicy && opts.failurePolicy !== 'fail-closed' && opts.failurePolicy !== 'fail-open') fatal('--failure-policy must be fail-closed or fail-open');
      const drainDelay = Number(opts.drainDelay);
      if (!Number.isFinite(drainDelay) || drainDelay < 0) fatal('--drain-delay must be a number of seconds');

      const config = await loadConfig(opts.config, opts.config ? [] : ['.'], process.cwd());
      let psaFile: { path: string; value: unknown } | undefined;
      if (opts.admissionConfig) {
        try {
          psaFile = { path: opts.admissionConfig, value: parse(await readFile(opts.admissionConfig, 'utf8')) };
        } catch (error) {
          fatal(`cannot read ${opts.admissionConfig}: ${(error as Error).message}`);
        }
      }
      const settings = admissionSettings(config, psaFile);
      if (opts.enforceTemplates) settings.enforceTemplates = true;
      if (opts.failurePolicy) settings.failurePolicy = opts.failurePolicy;
      if (opts.pin === false) settings.images.pin = false;

      const { batchedJsonLines } = await import('./lines.js');
      const log = batchedJsonLines((text) => process.stdout.write(text));
      let namespaces: InstanceType<typeof StaticNamespaces> | InstanceType<typeof NamespaceWatcher>;
      let watcher: InstanceType<typeof NamespaceWatcher> | undefined;
      if (opts.namespaces?.length) {
        const loaded = await load(opts.namespaces);
        if (loaded.errors.length > 0) throw loaded.errors[0]!;
        namespaces = StaticNamespaces.fromObjects(loaded.resources.map((r) => r.object));
      } else {
        const env = process.env;
        const connection = opts.kubeconfig
          ? kubeconfigConnection(opts.kubeconfig, undefined, opts.context)
          : env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT
            ? inClusterConnection(env.KUBERNETES_SERVICE_HOST, env.KUBERNETES_SERVICE_PORT)
            : fatal('no namespace source: pass --namespaces FILE, --kubeconfig FILE, or run in a cluster');
        watcher = new NamespaceWatcher(connection, { log: (msg, detail) => log({ level: 'warn', msg, ...detail, time: new Date().toISOString() }) });
        watcher.start();
        namespaces = watcher;
      }
      const credentials = opts.registryConfig ? dockerConfigCredentials(await readFile(opts.registryConfig, 'utf8')) : undefined;
      const resolver = registryResolver({ ...(credentials ? { credentials } : {}), ...(opts.insecureRegistry ? { insecure: opts.insecureRegistry } : {}) });
      // Verifiers named by the admission settings, and image signatures and attestations
      // (palisade verify) when .palisade.yaml has an images: section.
      const verifiers = await buildVerifiers({ verify: settings.verify, settings, config });
      const { findConfig } = await import('../core/config.js');
      const { sigstoreVerifierFor } = await import('./verify-policy.js');
      const sigstore = await sigstoreVerifierFor(config.images, opts.config ?? (await findConfig(['.'], process.cwd())) ?? '.palisade.yaml', { ...(credentials ? { credentials } : {}), ...(opts.insecureRegistry ? { insecure: opts.insecureRegistry } : {}) });
      // The engine configures the posture checks; a `checks:` entry for another rule is validated
      // against the whole rule catalogue, loaded only then (its rule sets and engines would
      // otherwise stay in the heap that every mark-compact walks, for nothing a decision reads).
      const checked = checksConfig(config, settings);
      if (Object.keys(checked.checks).some((id) => !checkById(id))) (await import('../audit/index.js')).activeChecks(checked);
      const engine = new AdmissionEngine({ settings, namespaces, config, resolver, verifiers: [...verifiers, ...(sigstore ? [sigstore] : [])] });
      const server = new AdmissionServer({
        engine,
        tls: { certFile: opts.tlsCert, keyFile: opts.tlsKey },
        host,
        port,
        ready: () => namespaces.ready,
        log,
        logLine: log.line,
        defaultTimeoutSeconds: settings.timeoutSeconds,
        failurePolicy: settings.failurePolicy,
        drainDelayMs: drainDelay * 1000,
      });
      const address = await server.listen();
      log({ level: 'info', msg: 'listening', host: address.host, port: address.port, time: new Date().toISOString() });
      await new Promise<void>((resolve) => {
        const stop = (signal: string): void => {
          log({ level: 'info', msg: 'signal', signal, time: new Date().toISOString() });
          void server.drain().then(() => {
            watcher?.stop();
            resolve();
          });
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}
