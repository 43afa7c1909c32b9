import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ClusterConnection } from './kubeconfig.js';

/**
 * The smallest read-mostly Kubernetes client palisade needs: GET JSON, and create/update for the
 * PolicyReports the in-cluster job writes. One keep-alive agent, a timeout per request, and the
 * API server's Status object kept on errors (its reason and details name what is missing).
 *
 * Why not @kubernetes/client-node: its 1.x line pulls in some twenty packages (openapi runtime,
 * node-fetch/isomorphic-ws, jsonpath, rfc4648, …) for the handful of REST calls made here, and
 * the kubeconfig reader that palisade needs (exec plugins, merge order, file:line errors, no
 * credentials over plain http) is a page of code over `yaml`, which palisade already ships.
 */

type Obj = Record<string, unknown>;

/** A Kubernetes metav1.Status, as the API server returns it with an error. */
export interface ApiStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string };
  metadata?: { continue?: string };
}

export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: ApiStatus | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ClientOptions {
  /** Per request, ms (default 30 s). */
  timeoutMs?: number;
  /** Sent as the user agent (audit logs show who read). */
  userAgent?: string;
}

export interface RequestLog {
  method: string;
  path: string;
  status: number;
  ms: number;
}

export class KubeClient {
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly base: URL;
  readonly timeoutMs: number;
  /** Every request made, in order (for --verbose output and the tests). */
  readonly log: RequestLog[] = [];

  constructor(
    readonly connection: ClusterConnection,
    private readonly options: ClientOptions = {},
  ) {
    this.base = new URL(connection.server);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.agent =
      this.base.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            maxSockets: 4,
            ...(connection.ca ? { ca: connection.ca } : {}),
            ...(connection.cert ? { cert: connection.cert, key: connection.key } : {}),
            ...(connection.serverName ? { servername: connection.serverName } : {}),
            rejectUnauthorized: connection.insecureSkipTLSVerify !== true,
          })
        : new HttpAgent({ keepAlive: true, maxSockets: 4 });
  }

  get server(): string {
    return this.connection.server;
  }

  close(): void {
    this.agent.destroy();
  }

  async get<T = Obj>(path: string): Promise<T> {
    return (await this.request('GET', path)) as T;
  }

  /** One HTTP request; resolves with the parsed JSON body of a 2xx answer, rejects with ApiError otherwise. */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown, contentType = 'application/json'): Promise<unknown> {
    const started = Date.now();
    const token = this.connection.token?.();
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const basePath = this.base.pathname.replace(/\/+$/, '');
    const send = this.base.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        {
          protocol: this.base.protocol,
          hostname: this.base.hostname.replace(/^\[|\]$/g, ''),
          port: this.base.port || (this.base.protocol === 'https:' ? 443 : 80),
          path: basePath + path,
          method,
          agent: this.agent,
          timeout: this.timeoutMs,
          headers: {
            accept: 'application/json',
            'user-agent': this.options.userAgent ?? 'palisade',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(payload ? { 'content-type': contentType, 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            this.log.push({ method, path, status, ms: Date.now() - started });
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text === '' ? undefined : JSON.parse(text);
            } catch {
              parsed = undefined;
            }
            if (status >= 200 && status < 300) {
              if (parsed === undefined && text !== '') reject(new ApiError(method, path, status, undefined, `${method} ${path}: the answer is not JSON`));
              else resolve(parsed);
              return;
            }
            const statusBody = parsed !== null && typeof parsed === 'object' ? (parsed as ApiStatus) : undefined;
            const detail = statusBody?.message ?? (text.slice(0, 200) || res.statusMessage || '');
            reject(new ApiError(method, path, status, statusBody, `${method} ${path}: HTTP ${status}${detail ? `: ${detail}` : ''}`));
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer from ${this.server} in ${this.timeoutMs / 1000} s`)));
      req.on('error', (error) => reject(error));
      req.end(payload);
    });
  }
}
