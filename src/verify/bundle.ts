import { createHash, X509Certificate as StrictX509 } from 'node:crypto';
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { X509Certificate } from '@sigstore/core';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { PolicyError, toSignedEntity, toTrustMaterial, Verifier, VerificationError, type TrustMaterial } from '@sigstore/verify';
import { describeMatcher, identityMatches } from './identity.js';
import type { PublicKeySpec } from './keys.js';
import { emptyTrustedRoot } from './trust.js';
import type { IdentityMatcher, SignerInfo, VerifyFailure } from './types.js';

/** Who may have signed: one of these keys, or a Fulcio certificate with one of these identities. */
export type Authority = { name: string; keys: PublicKeySpec[]; identities?: undefined } | { name: string; identities: IdentityMatcher[]; keys?: undefined };

export interface TrustOptions {
  /** trusted_root.json: Fulcio CAs, Rekor and CT log keys, timestamp authorities. */
  root?: TrustedRoot;
  /** cosign's --insecure-ignore-tlog: accept material with no transparency-log entry or timestamp. */
  ignoreTlog?: boolean;
  /** The verification time when no timestamp says otherwise (never read from the clock here). */
  now: Date;
}

export interface BundleVerified {
  ok: true;
  signer: SignerInfo;
  signedAt?: Date;
  /** DSSE bundles: the envelope's payload. */
  dsse?: { payloadType: string; payload: Buffer };
  /** Message-signature bundles: the signed artifact's sha256 digest, hex. */
  messageDigest?: string;
}
export type BundleResult = BundleVerified | { ok: false; failure: VerifyFailure };

const FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';

const fail = (reason: VerifyFailure['reason'], message: string): { ok: false; failure: VerifyFailure } => ({ ok: false, failure: { reason, message } });

/** Verifiers are costly to build (trust material parses every certificate): one per root and key. */
const verifiers = new WeakMap<TrustedRoot, Map<string, { material: TrustMaterial; byKey: WeakMap<object, Verifier>; plain: Map<string, Verifier> }>>();
const KEY_HINT = 'palisade-verification-key';

function trustMaterialFor(root: TrustedRoot, key: PublicKeySpec | undefined): TrustMaterial {
  const keyFinder = key ? () => ({ publicKey: key.key, validFor: () => true }) : () => {
    throw new VerificationError({ code: 'PUBLIC_KEY_ERROR', message: 'the bundle names a public key but no key was given' });
  };
  return memoizeTrustedCertificates(toTrustMaterial(root, keyFinder));
}

/**
 * sigstore-js re-checks the trusted root's own links on every bundle: the root's self-signature
 * and each intermediate's signature by the root (P-384 ECDSA, about half the time of a keyless
 * verification), re-encoding each certificate to DER for every comparison. Those facts belong to
 * the trust material, which is parsed once and never changes, so on its certificates (and only
 * on them) `verify`, `equals` and `publicKey` remember their answers. Every certificate a bundle
 * brings, the leaf above all, is still checked from scratch.
 */
function memoizeTrustedCertificates(material: TrustMaterial): TrustMaterial {
  const der = new WeakMap<X509Certificate, Buffer>();
  const derOf = (cert: X509Certificate): Buffer => {
    let bytes = der.get(cert);
    if (!bytes) {
      bytes = cert.root.toDER();
      der.set(cert, bytes);
    }
    return bytes;
  };
  const trustedCerts = new Set(material.certificateAuthorities.flatMap((authority) => authority.certChain));
  for (const cert of trustedCerts) {
    const verify = cert.verify.bind(cert);
    const verdicts = new Map<X509Certificate | undefined, boolean>();
    const publicKey = cert.publicKey;
    Object.defineProperties(cert, {
      publicKey: { value: publicKey },
      equals: { value: (other: X509Certificate): boolean => other === cert || derOf(cert).equals(derOf(other)) },
      verify: {
        value: (issuer?: X509Certificate): boolean => {
          // Only links between certificates of the trust material are remembered.
          const trusted = issuer === undefined || trustedCerts.has(issuer);
          if (!trusted) return verify(issuer);
          let verdict = verdicts.get(issuer);
          if (verdict === undefined) {
            verdict = verify(issuer);
            verdicts.set(issuer, verdict);
          }
          return verdict;
        },
      },
    });
  }
  return material;
}

function verifierFor(root: TrustedRoot, key: PublicKeySpec | undefined, thresholds: { tlog: number; ctlog: number; timestamp: number }): Verifier {
  let perRoot = verifiers.get(root);
  if (!perRoot) {
    perRoot = new Map();
    verifiers.set(root, perRoot);
  }
  const id = `${thresholds.tlog}/${thresholds.ctlog}/${thresholds.timestamp}`;
  let entry = perRoot.get(id);
  if (!entry) {
    entry = { material: memoizeTrustedCertificates(toTrustMaterial(root)), byKey: new WeakMap(), plain: new Map() };
    perRoot.set(id, entry);
  }
  const options = { tlogThreshold: thresholds.tlog, ctlogThreshold: thresholds.ctlog, timestampThreshold: thresholds.timestamp };
  if (key) {
    let verifier = entry.byKey.get(key);
    if (!verifier) {
      verifier = new Verifier(trustMaterialFor(root, key), options);
      entry.byKey.set(key, verifier);
    }
    return verifier;
  }
  let verifier = entry.plain.get('');
  if (!verifier) {
    verifier = new Verifier(entry.material, options);
    entry.plain.set('', verifier);
  }
  return verifier;
}

function issuerOf(cert: X509Certificate): string | undefined {
  const v2 = cert.extension(FULCIO_ISSUER_V2);
  if (v2) return v2.valueObj.subs[0]?.value.toString('ascii');
  return cert.extension(FULCIO_ISSUER_V1)?.value.toString('ascii');
}

/** The sigstore-js error, as one of our reasons with a sentence a person can act on. */
export function reasonOf(error: unknown): VerifyFailure {
  if (error instanceof PolicyError) return { reason: 'wrong-identity', message: error.message };
  if (error instanceof VerificationError) {
    const message = error.message;
    switch (error.code) {
      case 'SIGNATURE_ERROR':
        return { reason: 'tampered', message: 'the signature does not verify over the signed content' };
      case 'TLOG_BODY_ERROR':
        return { reason: 'tampered', message: `the transparency-log entry does not match the signature (${message})` };
      case 'TLOG_INCLUSION_PROOF_ERROR':
      case 'TLOG_INCLUSION_PROMISE_ERROR':
        return { reason: 'tampered', message: `the transparency-log inclusion proof or promise does not verify (${message})` };
      case 'TLOG_MISSING_INCLUSION_ERROR':
        return { reason: 'no-tlog', message: `the transparency-log entry has neither an inclusion proof nor a signed entry timestamp (${message})` };
      case 'TLOG_ERROR':
        return /expected \d+ tlog/.test(message) ? { reason: 'no-tlog', message: 'no transparency-log entry (sign with a Rekor upload, or accept it with --insecure-ignore-tlog)' } : { reason: 'untrusted', message: `the transparency log is not in the trusted root (${message})` };
      case 'TIMESTAMP_ERROR':
        return /expected \d+ timestamps, got 0/.test(message) ? { reason: 'no-tlog', message: 'no transparency-log entry or signed timestamp (accept it with --insecure-ignore-tlog)' } : { reason: 'untrusted', message: `a timestamp does not verify (${message})` };
      case 'CERTIFICATE_ERROR':
        if (/expired|not valid/.test(message)) return { reason: 'expired', message: 'the signing certificate was not valid when the signature was logged or timestamped' };
        if (/SCT/.test(message)) return { reason: 'untrusted', message: `certificate transparency: ${message}` };
        return { reason: 'untrusted', message: 'the signing certificate does not chain to a certificate authority of the trusted root' };
      case 'PUBLIC_KEY_ERROR':
        return { reason: 'untrusted', message };
      default:
        return { reason: 'tampered', message };
    }
  }
  return { reason: 'tampered', message: (error as Error).message ?? String(error) };
}

/** The DER of the leaf certificate a bundle carries, if any. */
function leafBytes(bundle: Bundle): Uint8Array | undefined {
  const content = bundle.verificationMaterial.content;
  return content.$case === 'certificate' ? content.certificate.rawBytes : content.$case === 'x509CertificateChain' ? content.x509CertificateChain.certificates[0]?.rawBytes : undefined;
}

/**
 * sigstore-js reads certificates leniently: the bytes outside the signed part (the outer
 * SEQUENCE and signature-algorithm tags, the signature's unused-bits count) can be edited and
 * the certificate still verifies. An edited certificate is a tampered bundle, so the leaf must
 * also be strict DER as OpenSSL reads it, with no unused bits in its signature.
 */
function strictlyEncoded(der: Uint8Array, leaf: X509Certificate): boolean {
  try {
    new StrictX509(Buffer.from(der));
  } catch {
    return false;
  }
  const signature = leaf.root.subs[2];
  return signature !== undefined && signature.value[0] === 0;
}

/**
 * Verify one Sigstore bundle (JSON, v0.1–v0.3, DSSE or message signature) offline against an
 * authority. Message-signature bundles need the artifact bytes; their sha256 must be the signed
 * digest. Returns the signer and the DSSE payload; never throws for bad material, only for bugs.
 */
export function verifyBundle(json: unknown, authority: Authority, trust: TrustOptions, artifact?: Uint8Array): BundleResult {
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (error) {
    return fail('tampered', `not a valid Sigstore bundle: ${(error as Error).message}`);
  }
  // sigstore-js checks the proof against the signed checkpoint and never reads the proof's own
  // rootHash; a rootHash that disagrees with the checkpoint is still an edited bundle.
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    const proof = entry.inclusionProof;
    const checkpointRoot = proof?.checkpoint?.envelope.split('\n')[2];
    if (proof && checkpointRoot !== undefined && Buffer.from(proof.rootHash).toString('base64') !== checkpointRoot) return fail('tampered', 'the inclusion proof\'s root hash differs from the signed checkpoint\'s');
  }
  const leafDer = leafBytes(bundle);
  let leaf: X509Certificate | undefined;
  let entity: ReturnType<typeof toSignedEntity>;
  try {
    leaf = leafDer ? X509Certificate.parse(Buffer.from(leafDer)) : undefined;
    entity = toSignedEntity(bundle, artifact ? Buffer.from(artifact) : undefined);
  } catch (error) {
    return fail('tampered', `the bundle's certificate or timestamp cannot be parsed: ${(error as Error).message}`);
  }
  if (leafDer && leaf && !strictlyEncoded(leafDer, leaf)) return fail('tampered', 'the signing certificate is not valid DER (edited outside its signed part)');
  let messageDigest: string | undefined;
  if (bundle.content.$case === 'messageSignature') {
    messageDigest = Buffer.from(bundle.content.messageSignature.messageDigest?.digest ?? []).toString('hex');
    if (!artifact) return fail('unsupported', 'a message-signature bundle signs a blob: the artifact is needed to verify it');
    const actual = createHash('sha256').update(artifact).digest('hex');
    if (actual !== messageDigest) return fail('digest-mismatch', `the bundle signs sha256:${messageDigest}, the artifact is sha256:${actual}`);
  }
  const root = trust.root ?? emptyTrustedRoot();
  if (trust.ignoreTlog) {
    entity.tlogEntries = [];
    entity.timestamps = trust.root ? entity.timestamps.filter((t) => t.$case === 'timestamp-authority') : [];
  } else if (!trust.root && (entity.tlogEntries.length > 0 || entity.timestamps.length > 0)) {
    return fail('untrusted', 'the bundle has a transparency-log entry or timestamp, and no trusted root was given to check it (--trusted-root, or --insecure-ignore-tlog)');
  }
  const signedAt = entity.timestamps.map((t) => (t.$case === 'transparency-log' ? new Date(Number(t.tlogEntry.integratedTime) * 1000) : t.timestamp.signingTime)).sort((a, b) => a.getTime() - b.getTime())[0];

  if (authority.keys) {
    if (leaf) entity.key = { $case: 'public-key', hint: KEY_HINT };
    if (entity.key.$case !== 'public-key') return fail('untrusted', 'the bundle has no key material');
    let last: VerifyFailure = { reason: 'untrusted', message: 'no key given' };
    for (const key of authority.keys) {
      const verifier = verifierFor(root, key, { tlog: 0, ctlog: 0, timestamp: trust.ignoreTlog ? 0 : 1 });
      try {
        verifier.verify(entity);
        return { ok: true, signer: { key: key.name }, ...(signedAt ? { signedAt } : {}), ...dssePart(bundle), ...(messageDigest ? { messageDigest } : {}) };
      } catch (error) {
        last = reasonOf(error);
        if (last.reason === 'tampered' && /signature does not verify/.test(last.message)) last = { reason: 'untrusted', message: `the signature does not verify with ${authority.keys.length === 1 ? `the key ${key.name}` : 'any of the given keys'} (signed by another key, or tampered)` };
      }
    }
    return { ok: false, failure: last };
  }

  if (!leaf) return fail('untrusted', 'the bundle is signed with a key, and a keyless identity was expected');
  if (!trust.root) return fail('untrusted', 'keyless verification needs a trusted root (--trusted-root trusted_root.json)');
  if (entity.timestamps.length === 0) {
    if (!leaf.validForDate(trust.now)) {
      return fail('expired', trust.now < leaf.notBefore ? `the signing certificate is not valid before ${leaf.notBefore.toISOString()} and no transparency-log entry or signed timestamp dates the signature` : `the signing certificate expired at ${leaf.notAfter.toISOString()} and no transparency-log entry or signed timestamp shows it was used before`);
    }
    if (!trust.ignoreTlog) return fail('no-tlog', 'no transparency-log entry or signed timestamp (accept it with --insecure-ignore-tlog)');
    // cosign's --insecure-ignore-tlog: the certificate is checked at the verification time.
    entity.timestamps = [{ $case: 'transparency-log', tlogEntry: { integratedTime: String(Math.floor(trust.now.getTime() / 1000)), logId: { keyId: Buffer.alloc(0) } } as never }];
  }
  const verifier = verifierFor(root, undefined, { tlog: trust.ignoreTlog ? 0 : 1, ctlog: 1, timestamp: 1 });
  let signerIdentity: SignerInfo;
  try {
    verifier.verify(entity);
    const subject = leaf.subjectAltName;
    const issuer = issuerOf(leaf);
    signerIdentity = { ...(subject ? { subject } : {}), ...(issuer ? { issuer } : {}) };
  } catch (error) {
    return { ok: false, failure: reasonOf(error) };
  }
  if (!authority.identities.some((m) => identityMatches(m, signerIdentity))) {
    return fail('wrong-identity', `signed by ${signerIdentity.subject ?? '(no subject)'} from ${signerIdentity.issuer ?? '(no issuer)'}, expected ${authority.identities.map(describeMatcher).join(' or ')}`);
  }
  return { ok: true, signer: signerIdentity, ...(signedAt ? { signedAt } : {}), ...dssePart(bundle), ...(messageDigest ? { messageDigest } : {}) };
}

function dssePart(bundle: Bundle): { dsse?: { payloadType: string; payload: Buffer } } {
  if (bundle.content.$case !== 'dsseEnvelope') return {};
  const envelope = bundle.content.dsseEnvelope;
  return { dsse: { payloadType: envelope.payloadType, payload: Buffer.from(envelope.payload) } };
}
