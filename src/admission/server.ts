import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { AdmissionEngine, DecisionLog } from './engine.js';
import { Metrics } from './metrics.js';
import { BadReview, parseReview, reviewResponse, reviewResponseJson } from './review.js';
import type { AdmissionResponse, AdmissionVersion, Endpoint } from './types.js';

/**
 * The webhook's HTTPS server: POST /validate and /mutate, GET /healthz, /readyz, /metrics. One JSON
 * log line per decision; certificate files reloaded when they change (new handshakes use the new
 * pair, open connections keep theirs); SIGTERM drains (readiness false, in-flight answered, then
 * the listener closes).
 */

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

export interface ServerOptions {
  engine: AdmissionEngine;
  tls: TlsFiles;
  host?: string;
  port?: number;
  /** True once namespace labels are known. */
  ready?: () => boolean;
  /** One JSON object per line; the caller decides where lines go (the server never prints). */
  log: (entry: Record<string, unknown>) => void;
  /**
   * Where decision log lines go as JSON text (one object, no newline), when the caller can take
   * text: the server writes the line itself (decisionLine), which costs less than an object for
   * `log` to serialize. Without it, decisions go to `log` like every other line.
   */
  logLine?: (json: string) => void;
  /** Bodies above this get a 400 (the API server sends at most ~3 MiB objects, twice for UPDATE). */
  maxBodyBytes?: number;
  /** When the request has no ?timeout=Ns. */
  defaultTimeoutSeconds?: number;
  /** What an internal error decides. */
  failurePolicy?: 'fail-closed' | 'fail-open';
  /** After SIGTERM, keep serving this long with readiness false so endpoints drop us first. */
  drainDelayMs?: number;
  /** How often the certificate files are checked for changes. */
  tlsPollMs?: number;
}

export const DEFAULT_MAX_BODY = 8 * 1024 * 1024;

export class AdmissionServer {
  readonly metrics: Metrics;
  private server: Server | undefined;
  private draining = false;
  private inFlight = 0;
  private idle: Array<() => void> = [];
  private tlsMaterial: { cert: Buffer; key: Buffer };
  private readonly log: (entry: Record<string, unknown>) => void;
  private readonly clock = new IsoClock();

  constructor(private readonly options: ServerOptions) {
    this.log = options.log;
    this.tlsMaterial = this.readTls();
    const engine = options.engine;
    this.metrics = new Metrics(() => ({
      digest: { hits: engine.digests.hits, misses: engine.digests.misses, size: engine.digests.size },
      verdict: { hits: engine.verdicts.hits, misses: engine.verdicts.misses, size: engine.verdicts.size },
      decision: { hits: engine.decisions.hits, misses: engine.decisions.misses, size: engine.decisions.size, bytes: engine.decisions.bytes },
    }));
  }

  private readTls(): { cert: Buffer; key: Buffer } {
    const cert = readFileSync(this.options.tls.certFile);
    const key = readFileSync(this.options.tls.keyFile);
    createSecureContext({ cert, key }); // throws on a mismatched or unreadable pair
    return { cert, key };
  }

  /** Re-read the certificate files; a bad pair is logged and the current one kept. */
  reloadTls(): boolean {
    try {
      const next = this.readTls();
      if (next.cert.equals(this.tlsMaterial.cert) && next.key.equals(this.tlsMaterial.key)) return false;
      this.tlsMaterial = next;
      this.server?.setSecureContext(next);
      this.log({ level: 'info', msg: 'tls certificate reloaded', time: new Date().toISOString() });
      return true;
    } catch (error) {
      this.log({ level: 'error', msg: 'tls certificate reload failed; keeping the current one', error: (error as Error).message, time: new Date().toISOString() });
      return false;
    }
  }

  async listen(): Promise<{ host: string; port: number }> {
    const server = createServer({ ...this.tlsMaterial }, (req, res) => this.handle(req, res));
    server.keepAliveTimeout = 30_000;
    server.headersTimeout = 35_000;
    server.on('secureConnection', () => this.metrics.handshakes.inc());
    // The TLS server's own listener (the only one: node:tls adds it) starts the handshake; each new
    // connection passes through holdUntilRead first.
    const startTls = server.listeners('connection') as Array<(socket: Socket) => void>;
    if (startTls.length === 1) {
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        this.metrics.connections.inc();
        holdUntilRead(socket, () => startTls[0]!.call(server, socket), () => this.metrics.abandoned.inc());
      });
    } else server.prependListener('connection', () => this.metrics.connections.inc());
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 8443, this.options.host ?? '0.0.0.0', () => resolve());
    });
    const poll = this.options.tlsPollMs ?? 2000;
    for (const file of [this.options.tls.certFile, this.options.tls.keyFile]) watchFile(file, { interval: poll, persistent: false }, () => this.reloadTls());
    const address = server.address();
    return { host: this.options.host ?? '0.0.0.0', port: typeof address === 'object' && address ? address.port : (this.options.port ?? 8443) };
  }

  get isDraining(): boolean {
    return this.draining;
  }

  /** Readiness false, wait the drain delay, stop accepting, answer what is in flight, close. */
  async drain(maxWaitMs = 30_000): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    this.log({ level: 'info', msg: 'draining', inFlight: this.inFlight, time: new Date().toISOString() });
    await new Promise((resolve) => setTimeout(resolve, this.options.drainDelayMs ?? 0));
    for (const file of [this.options.tls.certFile, this.options.tls.keyFile]) unwatchFile(file);
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const settled = this.inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.idle.push(resolve));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, maxWaitMs).unref());
    await Promise.race([settled, timeout]);
    server.closeIdleConnections();
    await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    server.closeAllConnections();
    this.log({ level: 'info', msg: 'drained', time: new Date().toISOString() });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    // The API server calls `/validate?timeout=10s`: split by hand, a WHATWG URL per request costs more than the rest of the routing.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q < 0 ? target : target.slice(0, q);
    const query = q < 0 ? '' : target.slice(q + 1);
    if (this.draining) res.setHeader('connection', 'close');
    const send = (code: number, body: string, type = 'application/json'): void => {
      this.metrics.requests.inc({ path: knownPath(path), code: String(code) });
      res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.method === 'GET') {
      if (path === '/healthz' || path === '/livez') return send(200, 'ok', 'text/plain');
      if (path === '/readyz') return this.draining || !(this.options.ready?.() ?? true) ? send(503, this.draining ? 'draining' : 'namespace labels not known yet', 'text/plain') : send(200, 'ok', 'text/plain');
      if (path === '/metrics') return send(200, this.metrics.render(), 'text/plain; version=0.0.4');
    }
    const endpoint: Endpoint | undefined = path === '/validate' ? 'validate' : path === '/mutate' ? 'mutate' : undefined;
    if (!endpoint) return send(404, JSON.stringify({ error: `no route ${req.method ?? ''} ${path}` }));
    if (req.method !== 'POST') return send(405, JSON.stringify({ error: `${path} takes POST` }));

    const timeoutSeconds = parseTimeout(queryParam(query, 'timeout')) ?? this.options.defaultTimeoutSeconds ?? 10;
    // Answer one second before the API server gives up on us.
    const deadline = Date.now() + Math.max(0.2, timeoutSeconds - 1) * 1000;
    const limit = this.options.maxBodyBytes ?? DEFAULT_MAX_BODY;
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    this.inFlight++;
    const done = (): void => {
      this.inFlight--;
      this.metrics.latency.observe({ endpoint }, Number(process.hrtime.bigint() - started) / 1e9);
      if (this.inFlight === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('error', () => {
      done();
      res.destroy();
    });
    req.on('end', () => {
      if (tooLarge) {
        send(400, JSON.stringify({ error: `request body is larger than ${limit} bytes` }));
        done();
        return;
      }
      void this.review(Buffer.concat(chunks).toString('utf8'), endpoint, deadline).then(({ code, body, log }) => {
        send(code, body);
        if (log) this.logDecision(log);
        done();
      });
    });
  }

  private async review(body: string, endpoint: Endpoint, deadline: number): Promise<{ code: number; body: string; log?: DecisionLog }> {
    try {
      const parsed = parseReview(body);
      const version = parsed.version;
      // `response` is not read when the JSON text is there: a cached answer parses it only on demand.
      const decision = await this.options.engine.decide(parsed.request, endpoint, deadline);
      const { log, json } = decision;
      this.metrics.decisions.inc({ endpoint, decision: log.decision, kind: log.kind });
      if (log.failures.length > 0) this.metrics.failures.inc({ endpoint }, log.failures.length);
      return { code: 200, body: json !== undefined ? reviewResponseJson(version, parsed.request.uid, json) : JSON.stringify(reviewResponse(version, decision.response)), log };
    } catch (error) {
      if (error instanceof BadReview) {
        this.metrics.decisions.inc({ endpoint, decision: 'bad-request', kind: '' });
        return { code: 400, body: JSON.stringify({ error: error.message }) };
      }
      // A bug of ours: answer by the failure policy rather than leave the API server waiting.
      this.log({ level: 'error', msg: 'internal error', error: (error as Error).stack ?? String(error), time: new Date().toISOString() });
      let parsed: { version: AdmissionVersion; uid: string } | undefined;
      try {
        const p = parseReview(body);
        parsed = { version: p.version, uid: p.request.uid };
      } catch {
        parsed = undefined;
      }
      if (!parsed) return { code: 500, body: JSON.stringify({ error: 'internal error' }) };
      this.metrics.failures.inc({ endpoint });
      const open = this.options.failurePolicy === 'fail-open';
      const response: AdmissionResponse = open
        ? { uid: parsed.uid, allowed: true, warnings: [`palisade internal error: ${(error as Error).message} (allowed: failure policy fail-open)`], auditAnnotations: { 'failure-open': 'internal error' } }
        : { uid: parsed.uid, allowed: false, status: { status: 'Failure' as const, code: 500, reason: 'InternalError', message: `palisade internal error: ${(error as Error).message} (failure policy fail-closed)` }, auditAnnotations: { 'failure-closed': 'internal error' } };
      return { code: 200, body: JSON.stringify(reviewResponse(parsed.version, response)) };
    }
  }

  private logDecision(log: DecisionLog): void {
    const time = this.clock.iso();
    if (this.options.logLine) this.options.logLine(decisionLine(log, time));
    else this.log({ level: 'info', msg: 'decision', time, ...log });
  }
}

/** How long a connection that sends nothing is held before the TLS server (and its handshake timeout) takes it. */
const HOLD_WITHOUT_DATA_MS = 1000;

/**
 * A new connection's first bytes are read before its TLS handshake starts, and if its client has
 * already closed it by then (the hello and the FIN both waiting), it is closed without the
 * handshake's work. A client that dials and abandons the dial (Go's net/http before 1.23 with a
 * request timeout, golang/go#59017: hey, and API servers built with such Go) leaves those in the
 * accept queue while a server is behind, and each one would cost a handshake, the server's most
 * expensive step, for nobody. libuv reads the hello and stops at a short read; the FIN is seen at
 * the next poll, so the decision waits two turns of the event loop. Otherwise the bytes read go
 * back to the socket and the TLS server reads them as its own (node:tls takes buffered data).
 */
export function holdUntilRead(socket: Socket, startTls: () => void, abandoned: () => void): void {
  const chunks: Buffer[] = [];
  let closed = false;
  let settled = false;
  const settle = (): void => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    socket.removeListener('data', onData);
    socket.removeListener('end', onEnd);
    socket.removeListener('error', onEnd);
    if (closed || socket.destroyed) {
      abandoned();
      socket.destroy();
      return;
    }
    socket.pause();
    for (let i = chunks.length - 1; i >= 0; i--) socket.unshift(chunks[i]!);
    startTls();
  };
  const onData = (chunk: Buffer): void => {
    if (chunks.push(chunk) === 1) setImmediate(() => setImmediate(settle));
  };
  const onEnd = (): void => {
    closed = true;
    settle();
  };
  socket.on('data', onData);
  socket.once('end', onEnd);
  socket.once('error', onEnd);
  const timer = setTimeout(settle, HOLD_WITHOUT_DATA_MS);
  timer.unref();
}

/** The time as ISO 8601 text, made once per millisecond: every decision's log line reads it. */
class IsoClock {
  private ms = -1;
  private text = '';
  iso(): string {
    const now = Date.now();
    if (now !== this.ms) {
      this.ms = now;
      this.text = new Date(now).toISOString();
    }
    return this.text;
  }
}

const json = JSON.stringify;
/** A JSON number as JSON.stringify writes it (null when not finite). */
const jsonNumber = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/**
 * A decision's log line: the text JSON.stringify({ level: 'info', msg: 'decision', time, ...log })
 * gives for a log as the engine makes it (its fields in that order, `skipped` and `cached` last
 * when set), written field by field without the spread object and the serializer's walk of it.
 * `endpoint` and `decision` are words of ours, with nothing to escape.
 */
export function decisionLine(log: DecisionLog, time: string): string {
  let line = `{"level":"info","msg":"decision","time":${json(time)},"uid":${json(log.uid)},"endpoint":"${log.endpoint}","kind":${json(log.kind)},"namespace":${json(log.namespace)},"name":${json(log.name)},"operation":${json(log.operation)},"dryRun":${json(log.dryRun)},"decision":"${log.decision}","checks":${json(log.checks)},"warnings":${jsonNumber(log.warnings)},"patched":${jsonNumber(log.patched)},"failures":${json(log.failures)},"ms":${jsonNumber(log.ms)}`;
  if (log.skipped !== undefined) line += `,"skipped":${json(log.skipped)}`;
  if (log.cached !== undefined) line += `,"cached":${json(log.cached)}`;
  return line + '}';
}

function knownPath(path: string): string {
  return ['/validate', '/mutate', '/healthz', '/livez', '/readyz', '/metrics'].includes(path) ? path : 'other';
}

/** One query parameter's value (the first), percent-decoded; null when absent or undecodable. */
export function queryParam(query: string, name: string): string | null {
  if (query === '') return null;
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.slice(0, eq)) !== name) continue;
    if (eq < 0) return '';
    const value = pair.slice(eq + 1);
    // `10s`, as the API server sends it, has nothing to decode.
    if (!value.includes('%') && !value.includes('+')) return value;
    try {
      return decodeURIComponent(value.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  return null;
}

/** `?timeout=10s` as the API server adds it (a Go duration; only whole and fractional seconds matter here). */
export function parseTimeout(value: string | null): number | undefined {
  if (!value) return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(value);
  if (!match) return undefined;
  const n = Number(match[1]);
  const seconds = match[2] === 'ms' ? n / 1000 : match[2] === 'm' ? n * 60 : n;
  return seconds > 0 ? Math.min(seconds, 30) : undefined;
}
