import { readFileSync } from 'node:fs';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';
import type { NamespaceLookup } from './engine.js';
import { isPlainObject } from '../core/object.js';

/**
 * The smallest Kubernetes client the webhook needs: list and watch Namespaces (nothing else), with
 * a GET for a namespace the watch has not delivered yet (PSA's live lookup). Connection details
 * come from a kubeconfig or the in-cluster service account; the token file is re-read, since
 * bound tokens rotate. (@kubernetes/client-node's current line needs a newer Node than 20.)
 */

export interface KubeConnection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Bearer token, read when each request is made. */
  token?: () => string | undefined;
  insecureSkipTLSVerify?: boolean;
}

type Obj = Record<string, unknown>;

/** The in-cluster service account (KUBERNETES_SERVICE_HOST/PORT are passed in by the caller). */
export function inClusterConnection(host: string, port: string, dir = '/var/run/secrets/kubernetes.io/serviceaccount'): KubeConnection {
  const h = host.includes(':') ? `[${host}]` : host;
  return { server: `https://${h}:${port}`, ca: readFileSync(join(dir, 'ca.crt')), token: () => readFileSync(join(dir, 'token'), 'utf8').trim() };
}

/** The current context of a kubeconfig: server, CA, and a token or client certificate. */
export function kubeconfigConnection(path: string, text = readFileSync(path, 'utf8'), contextName?: string): KubeConnection {
  const config = parse(text) as unknown;
  if (!isPlainObject(config)) throw new Error(`${path}: not a kubeconfig`);
  const named = (list: unknown, name: unknown, what: string): Obj => {
    const entry = Array.isArray(list) ? list.find((e) => isPlainObject(e) && e.name === name) : undefined;
    if (!isPlainObject(entry) || !isPlainObject(entry[what])) throw new Error(`${path}: no ${what} named ${String(name)}`);
    return entry[what] as Obj;
  };
  const context = named(config.contexts, contextName ?? config['current-context'], 'context');
  const cluster = named(config.clusters, context.cluster, 'cluster');
  const user = context.user === undefined ? {} : named(config.users, context.user, 'user');
  const base = dirname(path);
  const file = (value: unknown): Buffer | undefined => (typeof value === 'string' ? readFileSync(isAbsolute(value) ? value : join(base, value)) : undefined);
  const data = (value: unknown): Buffer | undefined => (typeof value === 'string' ? Buffer.from(value, 'base64') : undefined);
  if (typeof cluster.server !== 'string') throw new Error(`${path}: cluster ${String(context.cluster)} has no server`);
  const connection: KubeConnection = { server: cluster.server.replace(/\/+$/, '') };
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  if (ca) connection.ca = ca;
  if (cluster['insecure-skip-tls-verify'] === true) connection.insecureSkipTLSVerify = true;
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  if (cert && key) {
    connection.cert = cert;
    connection.key = key;
  }
  if (typeof user.token === 'string') {
    const token = user.token;
    connection.token = () => token;
  } else if (typeof user.tokenFile === 'string') {
    const tokenFile = user.tokenFile;
    connection.token = () => readFileSync(tokenFile, 'utf8').trim();
  }
  return connection;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj;
}

export interface WatcherOptions {
  /** Called with a line of text for the log (errors, relists). */
  log?: (event: string, detail: Obj) => void;
  /** Backoff after an error, ms. */
  retryMs?: number;
}

/** Namespace labels kept current by list + watch. */
export class NamespaceWatcher implements NamespaceLookup {
  private readonly labelsByName = new Map<string, Record<string, string>>();
  private resourceVersion = '';
  private stopped = false;
  private current: { destroy(): void } | undefined;
  ready = false;
  private readyWaiters: Array<() => void> = [];

  constructor(
    private readonly connection: KubeConnection,
    private readonly options: WatcherOptions = {},
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    this.current?.destroy();
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Labels the watch holds (each change replaces the object, never edits it). */
  known(name: string): Readonly<Record<string, string>> | undefined {
    return this.labelsByName.get(name);
  }

  async labels(name: string, signal: AbortSignal): Promise<Readonly<Record<string, string>>> {
    const known = this.labelsByName.get(name);
    if (known) return known;
    // `/api/v1/namespaces/` would list every namespace, which is not an answer about one.
    if (name === '') throw new Error('the request names no namespace');
    // Not seen yet (just created, or the watch lags): ask once, as PSA's namespace getter does.
    const { status, body } = await this.get(`/api/v1/namespaces/${encodeURIComponent(name)}`, signal);
    if (status === 404) throw new Error(`namespaces "${name}" not found`);
    if (status !== 200) throw new Error(`GET namespace ${name}: HTTP ${status}`);
    const object = JSON.parse(body) as Obj;
    if (object.kind !== 'Namespace') throw new Error(`GET namespace ${name}: the API server answered with ${JSON.stringify(object.kind)}, not a Namespace`);
    const labels = labelsOf(object);
    this.labelsByName.set(name, labels);
    return labels;
  }

  private options_(path: string, signal?: AbortSignal): RequestOptions {
    const url = new URL(this.connection.server + path);
    const token = this.connection.token?.();
    return {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port || 443,
      path: url.pathname + url.search,
      method: 'GET',
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(this.connection.ca ? { ca: this.connection.ca } : {}),
      ...(this.connection.cert ? { cert: this.connection.cert, key: this.connection.key } : {}),
      rejectUnauthorized: this.connection.insecureSkipTLSVerify !== true,
      ...(signal ? { signal } : {}),
    };
  }

  private get(path: string, signal?: AbortSignal): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = httpsRequest(this.options_(path, signal), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
  }

  private async list(): Promise<void> {
    const { status, body } = await this.get('/api/v1/namespaces?limit=500');
    if (status !== 200) throw new Error(`list namespaces: HTTP ${status}: ${body.slice(0, 200)}`);
    let page = JSON.parse(body) as { metadata?: { resourceVersion?: string; continue?: string }; items?: Obj[] };
    const fresh = new Map<string, Record<string, string>>();
    for (;;) {
      for (const item of page.items ?? []) fresh.set(nameOf(item), labelsOf(item));
      const next = page.metadata?.continue;
      if (!next) break;
      const more = await this.get(`/api/v1/namespaces?limit=500&continue=${encodeURIComponent(next)}`);
      if (more.status !== 200) throw new Error(`list namespaces: HTTP ${more.status}`);
      const resourceVersion = page.metadata?.resourceVersion;
      page = JSON.parse(more.body) as typeof page;
      if (!page.metadata?.resourceVersion && resourceVersion) page.metadata = { ...page.metadata, resourceVersion };
    }
    this.labelsByName.clear();
    for (const [name, labels] of fresh) this.labelsByName.set(name, labels);
    this.resourceVersion = page.metadata?.resourceVersion ?? '';
    if (!this.ready) {
      this.ready = true;
      for (const resolve of this.readyWaiters.splice(0)) resolve();
    }
  }

  /** One watch until the server closes it; false when the resourceVersion is too old (relist). */
  private watch(): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const path = `/api/v1/namespaces?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=${encodeURIComponent(this.resourceVersion)}`;
      const req = httpsRequest(this.options_(path), (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`watch namespaces: HTTP ${res.statusCode}`));
          return;
        }
        let buffer = '';
        let gone = false;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            if (line === '') continue;
            const event = JSON.parse(line) as WatchEvent;
            if (event.type === 'ERROR') {
              gone = true;
              req.destroy();
              break;
            }
            const rv = isPlainObject(event.object.metadata) ? event.object.metadata.resourceVersion : undefined;
            if (typeof rv === 'string') this.resourceVersion = rv;
            if (event.type === 'DELETED') this.labelsByName.delete(nameOf(event.object));
            else if (event.type !== 'BOOKMARK') this.labelsByName.set(nameOf(event.object), labelsOf(event.object));
          }
        });
        res.on('end', () => resolve(!gone));
        res.on('close', () => resolve(!gone));
        res.on('error', () => resolve(!gone));
      });
      this.current = req;
      req.on('error', (error) => (this.stopped ? resolve(true) : reject(error)));
      req.end();
    });
  }

  private async loop(): Promise<void> {
    let listed = false;
    while (!this.stopped) {
      try {
        if (!listed) {
          await this.list();
          listed = true;
        }
        listed = await this.watch();
      } catch (error) {
        listed = false;
        this.options.log?.('namespace watch error', { error: (error as Error).message });
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 2000).unref());
      }
    }
  }
}

function nameOf(object: Obj): string {
  return isPlainObject(object.metadata) && typeof object.metadata.name === 'string' ? object.metadata.name : '';
}

function labelsOf(object: Obj): Record<string, string> {
  const labels = isPlainObject(object.metadata) && isPlainObject(object.metadata.labels) ? object.metadata.labels : {};
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
}

/**
 * Offline: Namespace objects read from files. A namespace not among them does not exist, as a
 * cluster's lookup would say (`namespaces "x" not found`): PSA refuses a pod whose namespace it
 * cannot look up, and so does the engine (by the failure policy).
 */
export class StaticNamespaces implements NamespaceLookup {
  readonly ready = true;
  constructor(private readonly byName: ReadonlyMap<string, Readonly<Record<string, string>>>) {}
  labels(name: string): Readonly<Record<string, string>> {
    const labels = this.byName.get(name);
    if (labels === undefined) throw new Error(`namespaces "${name}" not found`);
    return labels;
  }
  known(name: string): Readonly<Record<string, string>> | undefined {
    return this.byName.get(name);
  }
  static fromObjects(objects: Iterable<Obj>): StaticNamespaces {
    const map = new Map<string, Record<string, string>>();
    for (const object of objects) if (object.kind === 'Namespace' && object.apiVersion === 'v1') map.set(nameOf(object), labelsOf(object));
    return new StaticNamespaces(map);
  }
}
