import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { PalisadeError } from '../core/errors.js';

/**
 * Where the cluster is and who we are: a kubeconfig context (the files of --kubeconfig or
 * $KUBECONFIG, merged as kubectl merges them, else ~/.kube/config) or the in-cluster service
 * account. The environment and file reads come in as arguments, so this is testable and the
 * engines never read the environment themselves.
 */
export interface ClusterConnection {
  /** https://host:port, no trailing slash. */
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Bearer token, asked for each request (service-account tokens rotate). */
  token?: () => string | undefined;
  insecureSkipTLSVerify?: boolean;
  /** TLS server name, when the kubeconfig sets tls-server-name. */
  serverName?: string;
  /** The context's namespace (or the service account's): used by nothing but messages. */
  namespace?: string;
  /** What was read: "kubeconfig /home/a/.kube/config, context kind-ml" or "in-cluster service account". */
  origin: string;
}

export interface ConnectionRequest {
  kubeconfig?: string;
  context?: string;
}

export interface ConnectionEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  home?: string;
  readFile?: (path: string) => string;
  exists?: (path: string) => boolean;
  /** Runs a kubeconfig exec credential plugin (tests pass a stand-in). */
  exec?: (command: string, args: readonly string[], env: Readonly<Record<string, string | undefined>>) => string;
  /** The service-account directory (tests point it elsewhere). */
  serviceAccountDir?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type Obj = Record<string, unknown>;
const isObject = (value: unknown): value is Obj => value !== null && typeof value === 'object' && !Array.isArray(value);

const fail = (message: string, location?: { file: string; line: number; column: number }): never => {
  throw new PalisadeError('CLUSTER_CONFIG', message, { errorClass: 'fatal', ...(location ? { location } : {}) });
};

/** --kubeconfig, else $KUBECONFIG (a path list), else ~/.kube/config when it exists, else in-cluster. */
export function resolveConnection(request: ConnectionRequest, environment: ConnectionEnvironment): ClusterConnection {
  const readFile = environment.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const exists = environment.exists ?? ((path: string) => {
    try {
      readFileSync(path);
      return true;
    } catch {
      return false;
    }
  });
  let files: string[] = [];
  if (request.kubeconfig !== undefined) files = [request.kubeconfig];
  else if (environment.env.KUBECONFIG) files = environment.env.KUBECONFIG.split(process.platform === 'win32' ? ';' : ':').filter((p) => p !== '');
  else if (environment.home && exists(join(environment.home, '.kube', 'config'))) files = [join(environment.home, '.kube', 'config')];
  if (files.length === 0) {
    const host = environment.env.KUBERNETES_SERVICE_HOST;
    const port = environment.env.KUBERNETES_SERVICE_PORT;
    if (host && port) return inClusterConnection(host, port, environment.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, readFile, request.context);
    return fail('no cluster to read: pass --kubeconfig, set $KUBECONFIG, create ~/.kube/config, or run in a pod (in-cluster service account)');
  }
  const texts: KubeconfigFile[] = [];
  for (const path of files) {
    let text: string;
    try {
      text = readFile(path);
    } catch (cause) {
      // kubectl skips missing files of $KUBECONFIG; an explicit --kubeconfig must exist.
      if (request.kubeconfig === undefined && (cause as NodeJS.ErrnoException).code === 'ENOENT') continue;
      return fail(`cannot read kubeconfig ${path}: ${(cause as Error).message}`);
    }
    texts.push(parseKubeconfig(path, text));
  }
  if (texts.length === 0) return fail(`none of the kubeconfig files in $KUBECONFIG exists: ${files.join(', ')}`);
  return connectionFromKubeconfig(texts, request.context, environment, readFile);
}

/** The in-cluster service account: KUBERNETES_SERVICE_HOST/PORT, token and CA from the mounted secret. */
export function inClusterConnection(host: string, port: string, dir: string, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'), context?: string): ClusterConnection {
  if (context !== undefined) fail(`--context ${context} needs a kubeconfig; in a pod palisade reads the in-cluster service account`);
  const h = isIP(host) === 6 ? `[${host}]` : host;
  let ca: Buffer;
  try {
    ca = Buffer.from(readFile(join(dir, 'ca.crt')));
  } catch (cause) {
    return fail(`in-cluster config: cannot read ${join(dir, 'ca.crt')}: ${(cause as Error).message}`);
  }
  let namespace: string | undefined;
  try {
    namespace = readFile(join(dir, 'namespace')).trim();
  } catch {
    namespace = undefined;
  }
  return { server: `https://${h}:${port}`, ca, token: () => readFile(join(dir, 'token')).trim(), origin: 'in-cluster service account', ...(namespace ? { namespace } : {}) };
}

interface KubeconfigFile {
  path: string;
  config: Obj;
  /** 1-based position of a key path, for error messages. */
  locate: (path: ReadonlyArray<string | number>) => { file: string; line: number; column: number };
}

export function parseKubeconfig(path: string, text: string): KubeconfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (keys: ReadonlyArray<string | number>): { file: string; line: number; column: number } => {
    let node: unknown = document.contents;
    let offset = 0;
    for (const key of keys) {
      if ((isMap(node) || isSeq(node)) && node.has(key)) {
        const next = node.get(key, true) as YamlNode | undefined;
        if (next?.range) offset = next.range[0];
        node = next;
      } else break;
    }
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const error = document.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    fail(`kubeconfig is not valid YAML: ${error.message.split('\n')[0]}`, { file: path, line, column: col });
  }
  const config = document.toJS() as unknown;
  if (!isObject(config)) fail('not a kubeconfig (expected a mapping with clusters, contexts and users)', { file: path, line: 1, column: 1 });
  return { path, config: config as Obj, locate };
}

/**
 * kubectl's merge of several files: for each named cluster, context and user, and for
 * current-context, the first file that sets it wins. Relative paths resolve against the file
 * that names them.
 */
function connectionFromKubeconfig(files: readonly KubeconfigFile[], contextName: string | undefined, environment: ConnectionEnvironment, readFile: (path: string) => string): ClusterConnection {
  type Named = { value: Obj; file: KubeconfigFile; index: number };
  const find = (section: 'clusters' | 'contexts' | 'users', name: string): Named | undefined => {
    for (const file of files) {
      const list = file.config[section];
      if (!Array.isArray(list)) continue;
      const index = list.findIndex((entry) => isObject(entry) && entry.name === name);
      if (index >= 0) return { value: list[index] as Obj, file, index };
    }
    return undefined;
  };
  const current = contextName ?? files.map((f) => f.config['current-context']).find((c): c is string => typeof c === 'string' && c !== '');
  const first = files[0]!;
  if (current === undefined) return fail('the kubeconfig sets no current-context: pass --context NAME', first.locate([]));
  const context = find('contexts', current);
  if (!context || !isObject(context.value.context)) return fail(`no context named "${current}" in ${files.map((f) => f.path).join(', ')}`, first.locate(['contexts']));
  const ctx = context.value.context as Obj;
  const clusterName = String(ctx.cluster ?? '');
  const cluster = find('clusters', clusterName);
  if (!cluster || !isObject(cluster.value.cluster)) return fail(`context "${current}" names cluster "${clusterName}", which no kubeconfig defines`, context.file.locate(['contexts', context.index, 'context', 'cluster']));
  const c = cluster.value.cluster as Obj;
  const at = (keys: Array<string | number>) => cluster.file.locate(['clusters', cluster.index, 'cluster', ...keys]);
  if (typeof c.server !== 'string' || c.server === '') return fail(`cluster "${clusterName}" has no server`, at([]));
  let url: URL;
  try {
    url = new URL(c.server);
  } catch {
    return fail(`cluster "${clusterName}": server "${c.server}" is not a URL`, at(['server']));
  }
  const base = (file: KubeconfigFile) => dirname(resolve(file.path));
  const fileBytes = (file: KubeconfigFile, value: unknown, where: () => { file: string; line: number; column: number }): Buffer | undefined => {
    if (typeof value !== 'string' || value === '') return undefined;
    const path = isAbsolute(value) ? value : join(base(file), value);
    try {
      return Buffer.from(readFile(path));
    } catch (cause) {
      return fail(`cannot read ${path}: ${(cause as Error).message}`, where());
    }
  };
  const data = (value: unknown): Buffer | undefined => (typeof value === 'string' && value !== '' ? Buffer.from(value, 'base64') : undefined);
  const connection: ClusterConnection = { server: c.server.replace(/\/+$/, ''), origin: `kubeconfig ${files.map((f) => f.path).join(':')}, context ${current}` };
  if (typeof ctx.namespace === 'string' && ctx.namespace !== '') connection.namespace = ctx.namespace;
  const ca = data(c['certificate-authority-data']) ?? fileBytes(cluster.file, c['certificate-authority'], () => at(['certificate-authority']));
  if (ca) connection.ca = ca;
  if (c['insecure-skip-tls-verify'] === true) connection.insecureSkipTLSVerify = true;
  if (typeof c['tls-server-name'] === 'string') connection.serverName = c['tls-server-name'];

  const userName = ctx.user;
  if (typeof userName === 'string' && userName !== '') {
    const user = find('users', userName);
    if (!user || !isObject(user.value.user)) return fail(`context "${current}" names user "${userName}", which no kubeconfig defines`, context.file.locate(['contexts', context.index, 'context', 'user']));
    const u = user.value.user as Obj;
    const uat = (keys: Array<string | number>) => () => user.file.locate(['users', user.index, 'user', ...keys]);
    const cert = data(u['client-certificate-data']) ?? fileBytes(user.file, u['client-certificate'], uat(['client-certificate']));
    const key = data(u['client-key-data']) ?? fileBytes(user.file, u['client-key'], uat(['client-key']));
    if (cert && key) {
      connection.cert = cert;
      connection.key = key;
    }
    if (typeof u.token === 'string' && u.token !== '') {
      const token = u.token;
      connection.token = () => token;
    } else if (typeof u.tokenFile === 'string' && u.tokenFile !== '') {
      const tokenFile = isAbsolute(u.tokenFile) ? u.tokenFile : join(base(user.file), u.tokenFile);
      connection.token = () => readFile(tokenFile).trim();
    } else if (isObject(u.exec)) {
      connection.token = execToken(u.exec, environment, uat(['exec']));
    } else if (u['auth-provider'] !== undefined) {
      return fail(`user "${userName}" uses an auth-provider, which palisade does not run: use a token, a client certificate or an exec plugin`, uat(['auth-provider'])());
    } else if (typeof u.username === 'string') {
      return fail(`user "${userName}" uses basic auth, which Kubernetes removed in 1.19: use a token or a client certificate`, uat(['username'])());
    }
  }
  refusePlainHttp(url, connection, cluster.file.locate(['clusters', cluster.index, 'cluster', 'server']));
  return connection;
}

/**
 * An exec credential plugin (client.authentication.k8s.io ExecCredential, as EKS, GKE and AKS
 * kubeconfigs use): run once, its status.token cached until its expirationTimestamp.
 */
function execToken(exec: Obj, environment: ConnectionEnvironment, where: () => { file: string; line: number; column: number }): () => string | undefined {
  const command = exec.command;
  if (typeof command !== 'string' || command === '') return fail('exec plugin has no command', where());
  const args = Array.isArray(exec.args) ? exec.args.map(String) : [];
  const extraEnv: Record<string, string> = {};
  if (Array.isArray(exec.env)) for (const e of exec.env) if (isObject(e) && typeof e.name === 'string') extraEnv[e.name] = String(e.value ?? '');
  const apiVersion = typeof exec.apiVersion === 'string' ? exec.apiVersion : 'client.authentication.k8s.io/v1';
  const env = { ...environment.env, ...extraEnv, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion, kind: 'ExecCredential', spec: { interactive: false } }) };
  const run =
    environment.exec ??
    ((cmd: string, argv: readonly string[], e: Readonly<Record<string, string | undefined>>) => {
      const result = spawnSync(cmd, argv, { env: e as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
      if (result.error) throw result.error;
      if (result.status !== 0) throw new Error(`exited ${result.status}: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
      return result.stdout;
    });
  let cached: { token: string; expires: number } | undefined;
  return () => {
    if (cached && cached.expires > Date.now() + 10_000) return cached.token;
    let output: string;
    try {
      output = run(command, args, env);
    } catch (cause) {
      return fail(`exec credential plugin ${command}: ${(cause as Error).message}`, where());
    }
    let credential: unknown;
    try {
      credential = JSON.parse(output);
    } catch {
      return fail(`exec credential plugin ${command} printed no ExecCredential JSON`, where());
    }
    const status = isObject(credential) && isObject(credential.status) ? credential.status : {};
    if (typeof status.token !== 'string') return fail(`exec credential plugin ${command} returned no status.token (client certificates from plugins are not supported)`, where());
    const expires = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : Infinity;
    cached = { token: status.token, expires: Number.isNaN(expires) ? Infinity : expires };
    return cached.token;
  };
}

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (host === '::1') return true;
  return /^::ffff:127\./.test(host);
}

/** Credentials never travel in clear text: plain http is allowed only to loopback (kubectl proxy). */
function refusePlainHttp(url: URL, connection: ClusterConnection, location: { file: string; line: number; column: number }): void {
  if (url.protocol === 'https:') return;
  if (url.protocol !== 'http:') fail(`server ${connection.server}: expected an https:// URL`, location);
  const credentials = connection.token !== undefined || connection.cert !== undefined;
  if (credentials && !isLoopbackHost(url.hostname)) fail(`server ${connection.server} is plain http on a non-loopback host: palisade will not send credentials in clear text (use https, or kubectl proxy on 127.0.0.1)`, location);
}
