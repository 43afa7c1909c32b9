import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRegistryClient, parsePublicKey, parseTrustedRoot, verifyImage, type Authority, type ImagePolicy, type TrustOptions, type VerifyOutcome } from '../../src/verify/index.js';
import { attachBundles, ecKeyPair, haveTools, keySigner, manifestBytes, pushImage, rekor, signDsse, signMessage, startReferrersFront, startRegistry, startSigstore, statement, toJson, type KeyPair, type Registry, type SigstoreLab } from './lab.js';

/**
 * Sigstore bundles found through the OCI 1.1 referrers API (cosign v3's layout on registries that
 * have it), not through the referrers tag: Debian's docker-registry (distribution 2.8) stands
 * behind a loopback front that implements the API as the distribution spec describes it.
 */
const missing = haveTools();
if (missing) console.warn(`skipping the referrers API tests: ${missing}`);

const COSIGN_SIGN = 'https://sigstore.dev/cosign/sign/v1';
let backend: Registry;
let front: Registry & { failReferrers: (status: number | undefined) => void };
let lab: SigstoreLab;
let key: KeyPair;
let trust: TrustOptions;

const keyed = (): Authority => ({ name: 'release-key', keys: [parsePublicKey(key.publicPem, 'cosign.pub')] });
const verify = (repo: string, policy: ImagePolicy = { authorities: [keyed()] }): Promise<VerifyOutcome> => verifyImage(`${front.host}/${repo}:1`, policy, { client: httpRegistryClient(), trust });
const reasons = (o: VerifyOutcome): string[] => o.failures.map((f) => f.reason);

/** A keyed DSSE signature bundle over `digest`, as `cosign sign --new-bundle-format` writes it. */
async function signatureBundle(repo: string, digest: string): Promise<ReturnType<typeof toJson>> {
  return toJson(await signDsse(statement([{ name: `${front.host}/${repo}`, digest }], COSIGN_SIGN, {}), keySigner(key), rekor(lab, 'dsse')));
}

beforeAll(async () => {
  if (missing) return;
  [backend, lab] = await Promise.all([startRegistry(), startSigstore()]);
  front = await startReferrersFront(backend);
  key = ecKeyPair();
  trust = { root: parseTrustedRoot('mock-root.json', lab.trustedRoot), now: new Date() };
}, 60_000);

afterAll(async () => {
  await front?.stop();
  await Promise.all([backend?.stop(), lab?.stop()]);
});

describe.skipIf(missing !== undefined)('verify image through the OCI 1.1 referrers API', () => {
  it('a bundle pushed with a subject is found through the API, with no referrers tag anywhere', async () => {
    const digest = await pushImage(backend, 'api/signed', '1');
    await attachBundles(front, 'api/signed', digest, [await signatureBundle('api/signed', digest)], { referrersTag: false });
    // The tag fallback really is absent: the backend has no sha256-<hex> index.
    expect((await fetch(`${backend.base}/v2/api/signed/manifests/${digest.replace(':', '-')}`)).status).toBe(404);
    const outcome = await verify('api/signed');
    expect([outcome.verified, reasons(outcome)]).toEqual([true, []]);
    expect(outcome.signatures.map((s) => s.layout)).toEqual(['bundle']);
    expect(outcome.signatures[0]?.source).toMatch(/ \(referrer\)$/);
  });

  it('the same image read from the backend alone (no API, no tag) has no signature', async () => {
    const digest = await pushImage(backend, 'api/backend-only', '1');
    await attachBundles(front, 'api/backend-only', digest, [await signatureBundle('api/backend-only', digest)], { referrersTag: false });
    const outcome = await verifyImage(`${backend.host}/api/backend-only:1`, { authorities: [keyed()] }, { client: httpRegistryClient(), trust });
    expect(reasons(outcome)).toEqual(['no-signature']);
  });

  it("a referrer carrying another image's signature is a digest mismatch, not a pass", async () => {
    const other = await pushImage(backend, 'api/other', '1');
    const digest = await pushImage(backend, 'api/copied', '1');
    expect(digest).not.toBe(other);
    // Signed for `other`, attached (subject) to `digest`.
    const wrong = toJson(await signMessage(await manifestBytes(backend, 'api/other', other), keySigner(key), rekor(lab)));
    await attachBundles(front, 'api/copied', digest, [wrong], { referrersTag: false });
    const outcome = await verify('api/copied');
    expect(outcome.verified).toBe(false);
    expect(reasons(outcome)).toEqual(['digest-mismatch']);
  });

  it('when the API answers, a stale referrers tag is not read (the API is the truth)', async () => {
    const digest = await pushImage(backend, 'api/stale-tag', '1');
    // Attached through the backend only (the front never saw it): the tag index lists it, the API does not.
    await attachBundles(backend, 'api/stale-tag', digest, [await signatureBundle('api/stale-tag', digest)]);
    expect((await fetch(`${backend.base}/v2/api/stale-tag/manifests/${digest.replace(':', '-')}`, { headers: { accept: 'application/vnd.oci.image.index.v1+json' } })).status).toBe(200);
    expect(reasons(await verify('api/stale-tag'))).toEqual(['no-signature']);
  });

  it('a registry that answers the API with 404 falls back to the tag; a 500 is an error, never "unsigned"', async () => {
    const digest = await pushImage(backend, 'api/fallback', '1');
    await attachBundles(backend, 'api/fallback', digest, [await signatureBundle('api/fallback', digest)]);
    try {
      front.failReferrers(404);
      const fallback = await verify('api/fallback');
      expect([fallback.verified, reasons(fallback)]).toEqual([true, []]);
      front.failReferrers(500);
      await expect(verify('api/fallback')).rejects.toMatchObject({ code: 'VERIFY_REGISTRY_FAILED', message: expect.stringMatching(/referrers of sha256:[0-9a-f]{64}: HTTP 500$/) });
    } finally {
      front.failReferrers(undefined);
    }
  });
});
