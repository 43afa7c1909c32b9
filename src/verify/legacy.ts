import { createHash } from 'node:crypto';
import { verifyBundle, type Authority, type BundleResult, type TrustOptions } from './bundle.js';

/** cosign's layer annotations (sigstore/cosign `pkg/oci/static/options.go`; the code's names, not the spec prose's). */
export const ANNOTATION = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  bundle: 'dev.sigstore.cosign/bundle',
  rfc3161: 'dev.sigstore.cosign/rfc3161timestamp',
} as const;

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
export const DSSE_LAYER_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
export const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

export interface LegacyLayer {
  mediaType?: string;
  digest: string;
  size?: number;
  annotations?: Record<string, string>;
}

function pemToDerB64(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => (m[1] as string).replace(/\s+/g, ''));
}

function b64(bytes: Buffer | string): string {
  return (typeof bytes === 'string' ? Buffer.from(bytes) : bytes).toString('base64');
}

/**
 * The Rekor bundle annotation (`{SignedEntryTimestamp, Payload: {body, integratedTime, logIndex,
 * logID}}`) as a v0.1 bundle's tlog entry: an inclusion promise, no proof (cosign's legacy layout
 * stores no proof; v0.1 is the bundle version that accepts a promise alone).
 */
function tlogEntryOf(annotation: string): object | { error: string } {
  let parsed: { SignedEntryTimestamp?: string; Payload?: { body?: string; integratedTime?: number; logIndex?: number; logID?: string } };
  try {
    parsed = JSON.parse(annotation) as typeof parsed;
  } catch (error) {
    return { error: `the ${ANNOTATION.bundle} annotation is not JSON: ${(error as Error).message}` };
  }
  const p = parsed.Payload;
  if (!p?.body || p.integratedTime === undefined || p.logIndex === undefined || !p.logID || !parsed.SignedEntryTimestamp) return { error: `the ${ANNOTATION.bundle} annotation lacks a field (SignedEntryTimestamp, Payload.body/integratedTime/logIndex/logID)` };
  let kindVersion: { kind: string; version: string };
  try {
    const body = JSON.parse(Buffer.from(p.body, 'base64').toString('utf8')) as { kind?: string; apiVersion?: string };
    kindVersion = { kind: body.kind ?? '', version: body.apiVersion ?? '' };
  } catch {
    return { error: 'the Rekor entry body is not base64 JSON' };
  }
  return {
    logIndex: String(p.logIndex),
    logId: { keyId: b64(Buffer.from(p.logID, 'hex')) },
    kindVersion,
    integratedTime: String(p.integratedTime),
    inclusionPromise: { signedEntryTimestamp: parsed.SignedEntryTimestamp },
    canonicalizedBody: p.body,
  };
}

function verificationMaterial(annotations: Record<string, string>): object | { error: string } {
  const certificate = annotations[ANNOTATION.certificate];
  const chain = annotations[ANNOTATION.chain];
  const tlogEntries: object[] = [];
  if (annotations[ANNOTATION.bundle]) {
    const entry = tlogEntryOf(annotations[ANNOTATION.bundle] as string);
    if ('error' in entry) return entry;
    tlogEntries.push(entry);
  }
  const rfc3161Timestamps: Array<{ signedTimestamp: string }> = [];
  if (annotations[ANNOTATION.rfc3161]) {
    try {
      const ts = JSON.parse(annotations[ANNOTATION.rfc3161] as string) as { SignedRFC3161Timestamp?: string };
      if (ts.SignedRFC3161Timestamp) rfc3161Timestamps.push({ signedTimestamp: ts.SignedRFC3161Timestamp });
    } catch {
      return { error: `the ${ANNOTATION.rfc3161} annotation is not JSON` };
    }
  }
  const certs = certificate ? [...pemToDerB64(certificate), ...(chain ? pemToDerB64(chain) : [])] : [];
  if (certificate && certs.length === 0) return { error: `the ${ANNOTATION.certificate} annotation holds no PEM certificate` };
  return {
    ...(certs.length > 0 ? { x509CertificateChain: { certificates: certs.map((rawBytes) => ({ rawBytes })) } } : { publicKey: { hint: '' } }),
    tlogEntries,
    timestampVerificationData: { rfc3161Timestamps },
  };
}

export type LegacyResult = (BundleResult & { ok: false }) | (Extract<BundleResult, { ok: true }> & { payload: Buffer; payloadType?: string });

/**
 * Verify one layer of a `sha256-<hex>.sig` or `.att` manifest: the blob against its descriptor,
 * then the signature (and certificate, Rekor promise, timestamp) as a v0.1 bundle, the shape
 * sigstore-js verifies (research admission.md §3.4 recipe D).
 */
export function verifyLegacyLayer(layer: LegacyLayer, blob: Buffer, authority: Authority, trust: TrustOptions): LegacyResult {
  const actual = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
  if (actual !== layer.digest) return { ok: false, failure: { reason: 'tampered', message: `the signed payload has digest ${actual}, its descriptor says ${layer.digest}` } };
  const annotations = layer.annotations ?? {};
  const material = verificationMaterial(annotations);
  if ('error' in material) return { ok: false, failure: { reason: 'tampered', message: material.error as string } };
  if (layer.mediaType === DSSE_LAYER_MEDIA_TYPE) {
    let envelope: { payloadType?: string; payload?: string; signatures?: Array<{ keyid?: string; sig?: string }> };
    try {
      envelope = JSON.parse(blob.toString('utf8')) as typeof envelope;
    } catch (error) {
      return { ok: false, failure: { reason: 'tampered', message: `the DSSE envelope is not JSON: ${(error as Error).message}` } };
    }
    const bundle = { mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1', verificationMaterial: material, dsseEnvelope: { payload: envelope.payload ?? '', payloadType: envelope.payloadType ?? '', signatures: (envelope.signatures ?? []).slice(0, 1).map((s) => ({ sig: s.sig ?? '', keyid: s.keyid ?? '' })) } };
    const result = verifyBundle(bundle, authority, trust);
    if (!result.ok) return result;
    return { ...result, payload: result.dsse?.payload ?? Buffer.alloc(0), ...(result.dsse ? { payloadType: result.dsse.payloadType } : {}) };
  }
  const signature = annotations[ANNOTATION.signature];
  if (!signature) return { ok: false, failure: { reason: 'no-signature', message: `the layer has no ${ANNOTATION.signature} annotation` } };
  const bundle = {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: material,
    messageSignature: { messageDigest: { algorithm: 'SHA2_256', digest: b64(createHash('sha256').update(blob).digest()) }, signature },
  };
  const result = verifyBundle(bundle, authority, trust, blob);
  if (!result.ok) return result;
  return { ...result, payload: blob };
}

/** The digest a simple-signing payload signs, or why it is not one. */
export function simpleSigningDigest(payload: Buffer): { digest: string; reference?: string } | { error: string } {
  let doc: { critical?: { type?: string; image?: { 'docker-manifest-digest'?: string }; identity?: { 'docker-reference'?: string } } };
  try {
    doc = JSON.parse(payload.toString('utf8')) as typeof doc;
  } catch (error) {
    return { error: `the simple-signing payload is not JSON: ${(error as Error).message}` };
  }
  if (doc.critical?.type !== SIMPLE_SIGNING_TYPE) return { error: `critical.type is ${JSON.stringify(doc.critical?.type)}, expected "${SIMPLE_SIGNING_TYPE}"` };
  const digest = doc.critical.image?.['docker-manifest-digest'];
  if (typeof digest !== 'string') return { error: 'the payload has no critical.image.docker-manifest-digest' };
  const reference = doc.critical.identity?.['docker-reference'];
  return { digest, ...(typeof reference === 'string' ? { reference } : {}) };
}
