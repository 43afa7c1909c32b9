import { spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServingPair } from '../../src/admission/x509.js';
import { ROOT } from '../helpers/shared.js';
import { makeCerts, podRequest, review, send, startWebhook } from './harness.js';

/** Certificate rotation and SIGTERM while requests keep coming: not one may fail. */

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'nvcr.io/nvidia/tritonserver:24.05-py3' }] } };
const BODY = review(podRequest('load', 'default', POD));

/** The certificate a fresh TLS connection is served. */
function peerFingerprint(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', ca, servername: 'localhost', agent: false }, (res) => {
      const fingerprint = (res.socket as import('node:tls').TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve(fingerprint));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Load {
  ok: number;
  failed: string[];
  stop(): Promise<void>;
}

/** `workers` loops posting /validate; half reuse connections, half open a new one each time. */
function load(port: number, ca: string[], workers: number, shouldContinue: () => boolean = () => true): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: workers, ca });
  const state: Load & { running: boolean } = { ok: 0, failed: [], running: true, stop: async () => undefined };
  const loops = Array.from({ length: workers }, async (_, i) => {
    while (state.running && shouldContinue()) {
      try {
        const reply = await send(port, 'POST', '/validate?timeout=10s', BODY, ca, i % 2 === 0 ? agent : undefined);
        if (reply.status === 200 && (JSON.parse(reply.body) as { response: { uid: string } }).response.uid === 'load') state.ok++;
        else state.failed.push(`HTTP ${reply.status} ${reply.body.slice(0, 100)}`);
      } catch (error) {
        state.failed.push((error as Error).message);
      }
    }
  });
  state.stop = async () => {
    state.running = false;
    await Promise.all(loops);
    agent.destroy();
  };
  return state;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('palisade serve lifecycle under load', () => {
  it('rotating the certificate files drops no request; new handshakes get the new certificate', async () => {
    const webhook = await startWebhook({ server: { tlsPollMs: 50 } });
    const next = createServingPair(['localhost'], 2, ['127.0.0.1']);
    const trust = [webhook.certs.caPem, next.ca.certPem];
    try {
      const before = await peerFingerprint(webhook.port, trust);
      const running = load(webhook.port, trust, 6);
      await sleep(400);
      // As the kubelet swaps a Secret volume: new files renamed into place.
      writeFileSync(join(webhook.certs.dir, 'new.key'), next.serving.keyPem);
      writeFileSync(join(webhook.certs.dir, 'new.crt'), next.serving.certPem);
      renameSync(join(webhook.certs.dir, 'new.key'), webhook.certs.keyFile);
      renameSync(join(webhook.certs.dir, 'new.crt'), webhook.certs.certFile);
      const expected = new X509Certificate(next.serving.certPem).fingerprint256;
      let after = before;
      for (let i = 0; i < 100 && after !== expected; i++) {
        await sleep(50);
        after = await peerFingerprint(webhook.port, trust);
      }
      await sleep(300);
      await running.stop();
      expect(after).toBe(expected);
      expect(before).not.toBe(expected);
      expect(running.failed).toEqual([]);
      expect(running.ok).toBeGreaterThan(20);
      expect(webhook.logs.some((l) => l.msg === 'tls certificate reloaded')).toBe(true);
    } finally {
      await webhook.close();
    }
  });

  it('SIGTERM while requests run: readiness goes false, in-flight requests are answered, exit 0', async () => {
    const certs = makeCerts();
    writeFileSync(join(certs.dir, 'config.yaml'), 'admission:\n  checks:\n    "*": warn\n');
    writeFileSync(join(certs.dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: default\n  labels:\n    pod-security.kubernetes.io/enforce: baseline\n');
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'serve', '--listen', '127.0.0.1:0', '--tls-cert', certs.certFile, '--tls-key', certs.keyFile, '--namespaces', join(certs.dir, 'ns.yaml'), '--drain-delay', '1', '--config', join(certs.dir, 'config.yaml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /"msg":"listening".*?"port":(\d+)/.exec(stdout);
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ca = [certs.caPem];
    // What the endpoints controller does for the API server: stop sending once readiness fails.
    let ready = true;
    const poller = (async () => {
      while (ready) {
        const reply = await send(port, 'GET', '/readyz', undefined, ca).catch(() => ({ status: 0 }));
        if (reply.status !== 200) ready = false;
        else await sleep(50);
      }
    })();
    const running = load(port, ca, 6, () => ready);
    await sleep(1000);
    const before = running.ok;
    child.kill('SIGTERM');
    await poller;
    await running.stop();
    expect(await exited).toBe(0);
    expect(running.failed).toEqual([]);
    expect(before).toBeGreaterThan(5);
    // Requests kept being answered during the drain delay, before readiness was seen to fail.
    expect(running.ok).toBeGreaterThan(before);
    expect(stdout).toContain('"msg":"drained"');
    expect(stdout).toMatch(/"msg":"decision".*"uid":"load"/);
  });
});
