import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

/**
 * IMAGE_VERIFICATION_UNAVAILABLE as a user meets it: two policies match an image, one fails on its
 * own (a static fail authority of a ClusterImagePolicy) and the other needs a registry that does
 * not answer (a closed loopback port). The report carries both; a registry failure alone is exit 2
 * (VERIFY_REGISTRY_FAILED), since nothing was verified.
 */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('verify image when the registry cannot be reached', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-verify-unavailable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports IMAGE_VERIFICATION_UNAVAILABLE beside the other policy\'s failure, and exits 2 when it is the only one', async () => {
    const host = `127.0.0.1:${await closedPort()}`;
    writeFileSync(join(dir, 'cosign.pub'), generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }));
    writeFileSync(join(dir, 'cip.yaml'), `apiVersion: policy.sigstore.dev/v1beta1\nkind: ClusterImagePolicy\nmetadata: {name: frozen}\nspec:\n  images: [{glob: "${host}/**"}]\n  authorities: [{static: {action: fail}}]\n`);
    writeFileSync(join(dir, 'both.yaml'), `images:\n  clusterImagePolicies: [cip.yaml]\n  policies:\n  - {name: ml, images: ["${host}/**"], keys: [cosign.pub]}\n`);
    writeFileSync(join(dir, 'keyed.yaml'), `images:\n  policies:\n  - {name: ml, images: ["${host}/**"], keys: [cosign.pub]}\n`);
    const image = `${host}/ml/model@sha256:${'a'.repeat(64)}`;

    const both = palisade(['verify', 'image', image, '--config', join(dir, 'both.yaml'), '--format', 'json']);
    expect(both.status).toBe(1);
    const report = JSON.parse(both.stdout) as { findings: Array<{ checkId: string; message: string }> };
    expect(report.findings.map((f) => [f.checkId, f.message])).toEqual([
      ['IMAGE_SIGNER_UNTRUSTED', `${image}: disallowed by a static fail authority`],
      ['IMAGE_VERIFICATION_UNAVAILABLE', `${image}: ${host}: cannot reach the registry: fetch failed`],
    ]);

    const alone = palisade(['verify', 'image', image, '--config', join(dir, 'keyed.yaml'), '--format', 'json']);
    expect([alone.status, alone.stderr.trim()]).toEqual([2, `palisade: ${host}: cannot reach the registry: fetch failed`]);
  });
});
