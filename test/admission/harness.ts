import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { admissionSettings, type AdmissionSettings } from '../../src/admission/config.js';
import { AdmissionEngine, type EngineOptions } from '../../src/admission/engine.js';
import { StaticNamespaces } from '../../src/admission/kube.js';
import { AdmissionServer, type ServerOptions } from '../../src/admission/server.js';
import { createServingPair } from '../../src/admission/x509.js';

/** A webhook on loopback with a throwaway CA; requests go through real TLS. */

export interface Certs {
  dir: string;
  caPem: string;
  certFile: string;
  keyFile: string;
}

export function makeCerts(dir = mkdtempSync(join(tmpdir(), 'palisade-webhook-'))): Certs {
  const { ca, serving } = createServingPair(['localhost'], 2, ['127.0.0.1']);
  const certFile = join(dir, 'tls.crt');
  const keyFile = join(dir, 'tls.key');
  writeFileSync(certFile, serving.certPem);
  writeFileSync(keyFile, serving.keyPem);
  return { dir, caPem: ca.certPem, certFile, keyFile };
}

export interface Webhook {
  port: number;
  server: AdmissionServer;
  engine: AdmissionEngine;
  certs: Certs;
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startWebhook(options: { labels?: Record<string, Record<string, string>>; settings?: Partial<AdmissionSettings>; engine?: Partial<EngineOptions>; server?: Partial<ServerOptions> } = {}): Promise<Webhook> {
  const certs = makeCerts();
  const settings = { ...admissionSettings(undefined), ...options.settings };
  // Given labels, exactly those namespaces exist (as with --namespaces FILE); without, every namespace exists, unlabelled.
  const namespaces = options.labels ? new StaticNamespaces(new Map(Object.entries(options.labels))) : { labels: () => UNLABELLED, known: () => UNLABELLED };
  const engine = new AdmissionEngine({ settings, namespaces, ...options.engine });
  const logs: Array<Record<string, unknown>> = [];
  const server = new AdmissionServer({ engine, tls: { certFile: certs.certFile, keyFile: certs.keyFile }, host: '127.0.0.1', port: 0, log: (entry) => logs.push(entry), logLine: (json) => logs.push(JSON.parse(json) as Record<string, unknown>), failurePolicy: settings.failurePolicy, ...options.server });
  const { port } = await server.listen();
  return { port, server, engine, certs, logs, close: () => server.drain(5000) };
}

const UNLABELLED: Readonly<Record<string, string>> = Object.freeze({});

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function send(port: number, method: string, path: string, body: string | Buffer | undefined, ca: string | string[], agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, ca, servername: 'localhost', agent: agent ?? false, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export function review(request: Record<string, unknown>, apiVersion = 'admission.k8s.io/v1'): string {
  return JSON.stringify({ apiVersion, kind: 'AdmissionReview', request });
}

/** A Pod CREATE as a validating webhook sees it: `request.name` is the object's name (generated or not). */
export function podRequest(uid: string, namespace: string, pod: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const name = (pod.metadata as { name?: unknown } | undefined)?.name;
  return {
    uid,
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    ...(typeof name === 'string' ? { name } : {}),
    namespace,
    operation: 'CREATE',
    userInfo: { username: 'alice' },
    object: { ...pod, metadata: { ...((pod.metadata as object | undefined) ?? {}), namespace } },
    oldObject: null,
    dryRun: false,
    ...extra,
  };
}

/** Run `worker` over `items` with at most `concurrency` at a time. */
export async function pool<T, R>(items: readonly T[], concurrency: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await worker(items[i]!, i);
      }
    }),
  );
  return results;
}
