import { X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServingPair } from '../../src/admission/x509.js';

describe('x509: a CA and a serving certificate without openssl', () => {
  const { ca, serving } = createServingPair(['palisade-webhook.palisade.svc', 'localhost'], 30, ['127.0.0.1', '::1'], new Date('2026-12-01T00:00:00Z'));
  const caCert = new X509Certificate(ca.certPem);
  const cert = new X509Certificate(serving.certPem);

  it('node:crypto reads both and the chain verifies', () => {
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkHost('palisade-webhook.palisade.svc')).toBe('palisade-webhook.palisade.svc');
    expect(cert.checkHost('other.palisade.svc')).toBeUndefined();
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.subjectAltName).toBe('DNS:palisade-webhook.palisade.svc, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.validTo).toBe('Dec 31 00:00:00 2026 GMT');
    expect(cert.issuer).toBe('CN=palisade-webhook-ca');
  });

  it('openssl verifies the chain with the serverAuth purpose', () => {
    if (spawnSync('openssl', ['version']).status !== 0) {
      console.warn('openssl not installed: skipping the openssl cross-check');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'x509-'));
    writeFileSync(join(dir, 'ca.pem'), ca.certPem);
    writeFileSync(join(dir, 'cert.pem'), serving.certPem);
    const run = spawnSync('openssl', ['verify', '-attime', String(Date.parse('2026-12-02T00:00:00Z') / 1000), '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'cert.pem')], { encoding: 'utf8' });
    expect(run.stdout.trim()).toBe(`${join(dir, 'cert.pem')}: OK`);
  });
});
