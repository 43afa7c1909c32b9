import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ImageVerifier, type FetchedManifest, type NamedPolicy, type RegistryClient } from '../../src/verify/index.js';

/** A registry in memory that counts what it is asked; `slow` delays every answer. */
function fakeRegistry(slowMs = 0): { client: RegistryClient; calls: string[] } {
  const image = Buffer.from('{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"digest":"sha256:00","size":2},"layers":[]}');
  const digest = `sha256:${createHash('sha256').update(image).digest('hex')}`;
  const calls: string[] = [];
  const wait = () => new Promise((r) => setTimeout(r, slowMs));
  const client: RegistryClient = {
    async manifest(repo, reference) {
      calls.push(`manifest ${repo.repository} ${reference}`);
      await wait();
      if (reference === '1' || reference === digest) return { digest, mediaType: 'application/vnd.oci.image.manifest.v1+json', bytes: image, json: JSON.parse(image.toString()) as FetchedManifest['json'] };
      return null;
    },
    async blob() {
      throw new Error('no blobs here');
    },
    async referrers(repo) {
      calls.push(`referrers ${repo.repository}`);
      await wait();
      return null;
    },
  };
  return { client, calls };
}

const policy: NamedPolicy = { name: 'ml', globs: ['registry.test/ml/**'], mode: 'enforce', policy: { authorities: [{ name: 'ci', identities: [{ subject: 'x', issuer: 'y' }] }] }, unsupported: [] };

describe('ImageVerifier (the webhook seam)', () => {
  it('verifies each distinct image once per request, and reuses a digest verdict until the TTL', async () => {
    const { client, calls } = fakeRegistry();
    let clock = 0;
    const verifier = new ImageVerifier({ policies: [policy], noMatch: 'allow', client, trust: {}, clock: () => new Date(clock), cacheTtlMs: 1000 });
    const images = ['registry.test/ml/a:1', 'registry.test/ml/a:1', 'registry.test/ml/a:1', 'busybox:1.36'];
    const first = await verifier.verifyAll(images);
    expect([...first.keys()]).toEqual(['registry.test/ml/a:1', 'busybox:1.36']);
    expect(first.get('registry.test/ml/a:1')?.failures.map((f) => f.reason)).toEqual(['no-signature']);
    expect(first.get('busybox:1.36')?.allowed).toBe(true);
    const cold = calls.length;
    expect(cold).toBe(5); // tag resolution, the image by digest, .sig, .att, referrers
    await verifier.verifyAll(images);
    expect(calls.length - cold).toBe(1); // only the tag, which may have moved
    clock = 2000;
    await verifier.verifyAll(images);
    expect(calls.length - cold - 1).toBe(5);
  });

  it('answers inside the deadline: what is late is unavailable', async () => {
    const { client } = fakeRegistry(300);
    const verifier = new ImageVerifier({ policies: [policy], noMatch: 'deny', client, trust: {}, clock: () => new Date(0) });
    const started = Date.now();
    const result = await verifier.verifyAll(['registry.test/ml/a:1', 'other/thing:2'], 100);
    expect(Date.now() - started).toBeLessThan(290);
    expect(result.get('registry.test/ml/a:1')?.failures.map((f) => f.reason)).toEqual(['unavailable']);
    expect(result.get('other/thing:2')?.failures.map((f) => [f.reason, f.message])).toEqual([['no-signature', 'other/thing:2 matches no image policy, and images.noMatch is deny']]);
  });
});
