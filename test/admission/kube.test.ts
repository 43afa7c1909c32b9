import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionSettings } from '../../src/admission/config.js';
import { AdmissionEngine } from '../../src/admission/engine.js';
import { kubeconfigConnection, NamespaceWatcher } from '../../src/admission/kube.js';
import { registryResolver } from '../../src/admission/registry.js';
import { createServingPair } from '../../src/admission/x509.js';
import { parseImageReference } from '../../src/knowledge/index.js';
import { startRegistry } from './registry.js';

/** The namespace client against a loopback stand-in for the API server: list, watch, get. */

const ns = (name: string, labels: Record<string, string>, resourceVersion: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels, resourceVersion } });

describe('namespace labels from the cluster (list + watch)', () => {
  let server: Server;
  let port = 0;
  let caPem = '';
  const seen: string[] = [];
  let watchResponse: ServerResponse | undefined;
  beforeAll(async () => {
    const { ca, serving } = createServingPair(['localhost'], 2, ['127.0.0.1']);
    caPem = ca.certPem;
    server = createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      if (req.headers.authorization !== 'Bearer sekret') {
        res.writeHead(401).end();
        return;
      }
      const url = new URL(req.url ?? '/', 'https://x');
      if (url.pathname === '/api/v1/namespaces' && url.searchParams.get('watch') === '1') {
        res.writeHead(200, { 'content-type': 'application/json' });
        watchResponse = res;
        return;
      }
      if (url.pathname === '/api/v1/namespaces') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'NamespaceList', metadata: { resourceVersion: '10' }, items: [ns('ml', { 'pod-security.kubernetes.io/enforce': 'baseline' }, '9'), ns('old', {}, '8')] }));
        return;
      }
      if (url.pathname === '/api/v1/namespaces/late') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(ns('late', { 'pod-security.kubernetes.io/enforce': 'restricted' }, '12')));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"kind":"Status","code":404}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    watchResponse?.end();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a kubeconfig, lists, follows the watch, and asks for a namespace it has not seen', async () => {
    const kubeconfig = `apiVersion: v1
kind: Config
current-context: test
contexts:
- name: test
  context: {cluster: loop, user: me}
clusters:
- name: loop
  cluster: {server: "https://127.0.0.1:${port}", certificate-authority-data: ${Buffer.from(caPem).toString('base64')}}
users:
- name: me
  user: {token: sekret}
`;
    const connection = kubeconfigConnection('/nowhere/kubeconfig', kubeconfig);
    expect(connection.server).toBe(`https://127.0.0.1:${port}`);
    const watcher = new NamespaceWatcher(connection, { retryMs: 50 });
    expect(watcher.ready).toBe(false);
    watcher.start();
    await watcher.whenReady();
    const signal = new AbortController().signal;
    expect(await watcher.labels('ml', signal)).toEqual({ 'pod-security.kubernetes.io/enforce': 'baseline' });
    for (let i = 0; i < 100 && !watchResponse; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen.some((s) => s.startsWith('GET /api/v1/namespaces?watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=10 Bearer sekret'))).toBe(true);
    watchResponse!.write(JSON.stringify({ type: 'MODIFIED', object: ns('ml', { 'pod-security.kubernetes.io/enforce': 'restricted' }, '11') }) + '\n');
    watchResponse!.write(JSON.stringify({ type: 'DELETED', object: ns('old', {}, '12') }).slice(0, 20));
    watchResponse!.write(JSON.stringify({ type: 'DELETED', object: ns('old', {}, '12') }).slice(20) + '\n');
    for (let i = 0; i < 100; i++) {
      if ((await watcher.labels('ml', signal))['pod-security.kubernetes.io/enforce'] === 'restricted') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await watcher.labels('ml', signal)).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    expect(await watcher.labels('late', signal)).toEqual({ 'pod-security.kubernetes.io/enforce': 'restricted' });
    await expect(watcher.labels('old', signal)).rejects.toThrow('namespaces "old" not found');
    // No namespace at all: never a GET of /api/v1/namespaces/ (the list) read as a namespace without labels.
    const asked = seen.length;
    await expect(watcher.labels('', signal)).rejects.toThrow('the request names no namespace');
    expect(seen.length).toBe(asked);

    // An unknown namespace is PSA's "failed to lookup namespace": fail-closed denies with PSA's 500.
    const engine = new AdmissionEngine({ settings: admissionSettings(undefined), namespaces: watcher });
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ghost' }, spec: { containers: [{ name: 'a', image: 'busybox:1.36' }] } };
    const decision = await engine.decide({ uid: 'g', kind: { group: '', version: 'v1', kind: 'Pod' }, resource: { group: '', version: 'v1', resource: 'pods' }, namespace: 'ghost', operation: 'CREATE', userInfo: {}, object: pod }, 'validate', Date.now() + 5000);
    expect(decision.response.allowed).toBe(false);
    expect(decision.response.status).toEqual({ status: 'Failure', reason: 'InternalError', code: 500, message: 'Internal error occurred: failed to lookup namespace "ghost"', details: { causes: [{ message: 'failed to lookup namespace "ghost"' }] } });
    expect(decision.response.auditAnnotations).toEqual({ error: 'Internal error occurred: failed to lookup namespace "ghost": namespaces "ghost" not found', 'failure-closed': 'failed to lookup namespace "ghost"' });
    watcher.stop();
  });
});

describe('tag → digest against a registry', () => {
  it('falls back to hashing the manifest when Docker-Content-Digest is missing, and reports HTTP errors', async () => {
    const registry = await startRegistry({ 'acme/model:1': 'sha256:' + '3'.repeat(64) }, { omitDigestHeader: true });
    try {
      const resolver = registryResolver({ fetch: registry.fetch });
      const signal = new AbortController().signal;
      expect(await resolver.resolve(parseImageReference('registry.example.com/acme/model:1')!, signal)).toBe(`sha256:${createHash('sha256').update('{}').digest('hex')}`);
      await expect(resolver.resolve(parseImageReference('registry.example.com/acme/model:2')!, signal)).rejects.toThrow('registry.example.com/acme/model:2: HTTP 404 from the registry');
      expect(registry.requests).toEqual(['HEAD /v2/acme/model/manifests/1', 'GET /token', 'HEAD /v2/acme/model/manifests/1', 'GET /v2/acme/model/manifests/1', 'HEAD /v2/acme/model/manifests/2']);
    } finally {
      await registry.close();
    }
  });
});

describe('image verifier plug-in point', () => {
  it('builds the verifiers whose factories find their settings under admission.verify', async () => {
    const { buildVerifiers } = await import('../../src/admission/verifiers.js');
    const { emptyConfig } = await import('../../src/core/config.js');
    const settings = admissionSettings({ ...emptyConfig(), admission: { verify: { sigstore: { keys: ['k'] } } } } as never);
    const verifiers = await buildVerifiers({ verify: settings.verify, settings, config: emptyConfig() }, [
      ({ verify }) => (verify.sigstore ? { name: 'sigstore', verify: async () => ({ allowed: true }) } : undefined),
      ({ verify }) => (verify.notation ? { name: 'notation', verify: async () => ({ allowed: true }) } : undefined),
    ]);
    expect(verifiers.map((v) => v.name)).toEqual(['sigstore']);
  });
});
