import { generateKeyPairSync } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePublicKey, parseStatement, parseTrustedRoot, statementCovers, verifyBundle, type Authority } from '../../src/verify/index.js';
import { clone, fixtureJson, fixtureText, flipBase64 } from './fixtures.js';

/** The real cosign bundle (Fulcio cert for cody@soyland.com, Rekor dsse entry with proof) and the public-good root. */
const realBundle = fixtureJson('cosign-oci-attestation.sigstore.json');
const publicGood = parseTrustedRoot('trusted_root_public_good.json', fixtureText('trusted_root_public_good.json'));
const cody: Authority = { name: 'cody', identities: [{ subject: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' }] };
const now = new Date('2026-12-06T00:00:00Z');
const real = (bundle: unknown, authority = cody) => verifyBundle(bundle, authority, { root: publicGood, now });
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('the public-good cosign bundle, offline', () => {
  it('verifies against its trusted root, with the signer and the statement', () => {
    const result = real(realBundle);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.signer).toEqual({ subject: 'cody@soyland.com', issuer: 'https://github.com/login/oauth' });
    const statement = parseStatement(result.dsse!.payloadType, result.dsse!.payload);
    expect('error' in statement).toBe(false);
    if ('error' in statement) return;
    expect(statement.predicateType).toBe('https://cosign.sigstore.dev/attestation/v1');
    expect(statementCovers(statement, 'sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4')).toBe(true);
    expect(statementCovers(statement, 'sha256:9b1e3c5a7d2f4e6081a3c5e7f9b2d4068ace13579bdf02468ace13579bdf0246')).toBe(false);
  });

  it('accepts a regular-expression identity, anchored', () => {
    expect(real(realBundle, { name: 're', identities: [{ subjectRegExp: '.*@soyland\\.com', issuerRegExp: 'https://github\\.com/.*' }] }).ok).toBe(true);
    const partial = real(realBundle, { name: 're', identities: [{ subjectRegExp: 'soyland', issuer: 'https://github.com/login/oauth' }] });
    expect(partial.ok ? 'ok' : partial.failure.reason).toBe('wrong-identity');
  });

  it('refuses a wrong identity and a wrong issuer', () => {
    for (const identity of [{ subject: 'mallory@soyland.com', issuer: 'https://github.com/login/oauth' }, { subject: 'cody@soyland.com', issuer: 'https://accounts.google.com' }]) {
      const result = real(realBundle, { name: 'x', identities: [identity] });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.failure.reason).toBe('wrong-identity');
        expect(result.failure.message).toContain('signed by cody@soyland.com from https://github.com/login/oauth');
      }
    }
  });

  it('catches a flipped byte in the payload, the signature, the certificate and the inclusion proof', () => {
    const cases: Array<[string, (b: Json) => void]> = [
      ['payload', (b) => void (b.dsseEnvelope.payload = flipBase64(b.dsseEnvelope.payload, 40))],
      ['signature', (b) => void (b.dsseEnvelope.signatures[0].sig = flipBase64(b.dsseEnvelope.signatures[0].sig, 20))],
      ['certificate', (b) => void (b.verificationMaterial.certificate.rawBytes = flipBase64(b.verificationMaterial.certificate.rawBytes, 300))],
      ['inclusion proof', (b) => void (b.verificationMaterial.tlogEntries[0].inclusionProof.hashes[0] = flipBase64(b.verificationMaterial.tlogEntries[0].inclusionProof.hashes[0], 3))],
      ['inclusion root hash', (b) => void (b.verificationMaterial.tlogEntries[0].inclusionProof.rootHash = flipBase64(b.verificationMaterial.tlogEntries[0].inclusionProof.rootHash, 0))],
      ['checkpoint', (b) => void (b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope = b.verificationMaterial.tlogEntries[0].inclusionProof.checkpoint.envelope.replace(/\n(\d+)\n/, (_m: string, n: string) => `\n${Number(n) + 1}\n`))],
      ['signed entry timestamp', (b) => void (b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = flipBase64(b.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp, 10))],
      ['integrated time', (b) => void (b.verificationMaterial.tlogEntries[0].integratedTime = String(Number(b.verificationMaterial.tlogEntries[0].integratedTime) + 1))],
    ];
    for (const [what, mutate] of cases) {
      const tampered = clone(realBundle) as Json;
      mutate(tampered);
      const result = real(tampered);
      expect(result.ok, what).toBe(false);
      if (!result.ok) expect([what, result.failure.reason]).toEqual([what, what === 'certificate' ? expect.stringMatching(/^(tampered|untrusted)$/) : 'tampered']);
    }
  });

  it('checks every leaf certificate afresh once the trusted root\'s own links are remembered', () => {
    // Warm the memo of the root's certificates, then flip any byte of the leaf (its name, key,
    // extensions or signature): no flip may ride on an earlier verdict. The examples are bytes
    // outside the signed part (outer SEQUENCE tag, signature-algorithm tag, signature BIT STRING
    // tag and unused-bits count) that sigstore-js alone reads leniently.
    expect(real(realBundle).ok).toBe(true);
    const leafBytes = Buffer.from((realBundle as Json).verificationMaterial.certificate.rawBytes, 'base64').length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: leafBytes - 1 }), (offset) => {
        const tampered = clone(realBundle) as Json;
        tampered.verificationMaterial.certificate.rawBytes = flipBase64(tampered.verificationMaterial.certificate.rawBytes, offset);
        expect(real(tampered).ok).toBe(false);
      }),
      { numRuns: 40, examples: [[0], [605], [617], [619]] },
    );
    expect(real(realBundle).ok).toBe(true);
  });

  it('needs the trusted root for keyless material', () => {
    const result = verifyBundle(realBundle, cody, { now });
    expect(result.ok ? 'ok' : result.failure.reason).toBe('untrusted');
  });

  it('is not fooled by another root (the mock CA does not sign public-good certificates)', () => {
    const mockRoot = parseTrustedRoot('keyless-mock-trusted-root.json', fixtureText('generated/keyless-mock-trusted-root.json'));
    const result = verifyBundle(realBundle, cody, { root: mockRoot, now });
    expect(result.ok ? 'ok' : result.failure.reason).toBe('untrusted');
  });
});

describe('key-signed DSSE attestations (no transparency log)', () => {
  const key = parsePublicKey(fixtureText('generated/test-key.pub.pem'), 'test-key.pub.pem');
  const keyed: Authority = { name: 'key', keys: [key] };
  const clean = fixtureJson('generated/vuln-attestation-clean.sigstore.json');

  it('requires a tlog entry or timestamp unless told to ignore the tlog, as cosign', () => {
    const strict = verifyBundle(clean, keyed, { now });
    expect(strict.ok ? 'ok' : strict.failure.reason).toBe('no-tlog');
    const relaxed = verifyBundle(clean, keyed, { now, ignoreTlog: true });
    expect(relaxed.ok).toBe(true);
    if (relaxed.ok) expect(relaxed.signer).toEqual({ key: 'test-key.pub.pem' });
  });

  it('refuses another key and a tampered payload', () => {
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const wrong = verifyBundle(clean, { name: 'other', keys: [parsePublicKey(other, 'other.pub')] }, { now, ignoreTlog: true });
    expect(wrong.ok ? 'ok' : wrong.failure.reason).toBe('untrusted');
    const tampered = clone(clean) as Json;
    tampered.dsseEnvelope.payload = flipBase64(tampered.dsseEnvelope.payload, 100);
    const result = verifyBundle(tampered, keyed, { now, ignoreTlog: true });
    expect(result.ok ? 'ok' : result.failure.reason).toBe('untrusted');
  });

  it('reads Ed25519 and RSA keys, and refuses an unknown curve', () => {
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
    expect(parsePublicKey(ed, 'ed').details).toBe('PKIX_ED25519');
    expect(parsePublicKey(rsa, 'rsa').details).toBe('PKIX_RSA_PKCS1V15_2048_SHA256');
    expect(() => parsePublicKey(k1, 'k1')).toThrow(/secp256k1/);
    expect(() => parsePublicKey('not a key', 'junk.pub')).toThrow(/junk.pub: not a PEM public key/);
  });
});

describe('the keyless mock bundle (message signature, v0.2)', () => {
  const bundle = fixtureJson('generated/keyless-mock.sigstore.json');
  const root = parseTrustedRoot('keyless-mock-trusted-root.json', fixtureText('generated/keyless-mock-trusted-root.json'));
  const payload = Buffer.from(fixtureText('generated/legacy-simplesigning-payload.json'));
  const ci: Authority = { name: 'ci', identities: [{ subject: 'https://github.com/acme/ml-serving/.github/workflows/release.yml@refs/heads/main', issuer: 'https://token.actions.githubusercontent.com' }] };

  it('verifies over its artifact, and refuses another artifact as a digest mismatch', () => {
    expect(verifyBundle(bundle, ci, { root, now }, payload).ok).toBe(true);
    const other = Buffer.from(payload.toString().replace('mlsec', 'xxsec'));
    const result = verifyBundle(bundle, ci, { root, now }, other);
    expect(result.ok ? 'ok' : result.failure.reason).toBe('digest-mismatch');
    const none = verifyBundle(bundle, ci, { root, now });
    expect(none.ok ? 'ok' : none.failure.reason).toBe('unsupported');
  });
});
