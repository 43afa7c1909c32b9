import type { ImageReference } from '../scan/image/index.js';
import { verifyBundle, type Authority, type BundleVerified, type TrustOptions } from './bundle.js';
import { evaluateScanGate, type ScanGate } from './gate.js';
import { DSSE_LAYER_MEDIA_TYPE, SIMPLE_SIGNING_MEDIA_TYPE, simpleSigningDigest, verifyLegacyLayer } from './legacy.js';
import { formatReference, imageReference, type Descriptor, type RegistryClient } from './registry.js';
import { parseStatement, predicateMatches, predicateTypesFor, statementCovers, subjectDigests } from './statement.js';
import type { InTotoStatement, SignatureLayout, VerifiedItem, VerifyFailure, VerifyOutcome, VerifyReason } from './types.js';

/** Bundle media types cosign and sigstore-js write (sigstore/protobuf-specs; cosign BUNDLE_SPEC). */
export const BUNDLE_MEDIA_TYPES = ['application/vnd.dev.sigstore.bundle.v0.3+json', 'application/vnd.dev.sigstore.bundle+json;version=0.3', 'application/vnd.dev.sigstore.bundle+json;version=0.2', 'application/vnd.dev.sigstore.bundle+json;version=0.1'];
/** cosign v3 signs an image as a DSSE statement of this type, attached as a bundle referrer. */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

export interface AttestationRequirement {
  /** A name for messages (policy-controller's attestation name, or the predicate word). */
  name: string;
  /** `vuln`, `slsaprovenance1`, `cyclonedx`, `spdxjson`, `openvex`, or a predicate type URI. */
  predicateType: string;
  /** Who must have signed it; the image's own authorities when absent. */
  authorities?: Authority[];
}

export interface ImagePolicy {
  /** Any one authority passing verifies the signature. Empty: signatures are not required. */
  authorities: Authority[];
  attestations?: AttestationRequirement[];
  /** The built-in "recent scan, nothing at or above a severity after VEX" gate on verified vuln attestations. */
  scanGate?: ScanGate;
  /** policy-controller's signatureFormat: where signatures are looked for (default: both layouts). */
  signatureFormat?: 'legacy' | 'bundle' | 'any';
}

export interface VerifyImageOptions {
  client: RegistryClient;
  trust: TrustOptions;
}

/** Most decisive first: what a person should fix before anything else. */
const REASON_ORDER: readonly VerifyReason[] = ['digest-mismatch', 'tampered', 'wrong-identity', 'expired', 'untrusted', 'no-tlog', 'stale-scan', 'vulnerable', 'no-attestation', 'unsupported', 'unavailable', 'no-signature'];
export function sortFailures(failures: VerifyFailure[]): VerifyFailure[] {
  return [...failures].sort((a, b) => REASON_ORDER.indexOf(a.reason) - REASON_ORDER.indexOf(b.reason));
}

interface Candidate {
  layout: SignatureLayout;
  source: string;
  /** Runs the check against one authority. */
  check: (authority: Authority) => { ok: true; signer: VerifiedItem['signer']; signedAt?: Date; statement?: InTotoStatement; signedDigest?: string } | { ok: false; failure: VerifyFailure };
}

function isBundleType(type: string | undefined): boolean {
  return type !== undefined && BUNDLE_MEDIA_TYPES.includes(type);
}

/** The statement a verified DSSE result carries, or a failure. */
function statementOf(result: BundleVerified | { payload: Buffer; payloadType?: string }): InTotoStatement | VerifyFailure {
  const payloadType = 'dsse' in result && result.dsse ? result.dsse.payloadType : (result as { payloadType?: string }).payloadType;
  const payload = 'dsse' in result && result.dsse ? result.dsse.payload : (result as { payload?: Buffer }).payload;
  if (!payloadType || !payload) return { reason: 'unsupported', message: 'a DSSE envelope without payload' };
  const statement = parseStatement(payloadType, payload);
  if ('error' in statement) return { reason: 'unsupported', message: statement.error };
  return statement;
}

/** Gather every signature and attestation the registry has for `digest`, in both layouts. */
async function candidates(repo: ImageReference, digest: string, manifestBytes: Buffer, client: RegistryClient, trust: TrustOptions, format: ImagePolicy['signatureFormat']): Promise<{ signatures: Candidate[]; attestations: Candidate[]; notes: string[] }> {
  const hex = digest.slice('sha256:'.length);
  const signatures: Candidate[] = [];
  const attestations: Candidate[] = [];
  const notes: string[] = [];
  const legacy = format !== 'bundle';
  const bundles = format !== 'legacy';
  const [sig, att, referrers] = await Promise.all([
    legacy ? client.manifest(repo, `sha256-${hex}.sig`) : null,
    legacy ? client.manifest(repo, `sha256-${hex}.att`) : null,
    bundles ? client.referrers(repo, digest) : null,
  ]);
  const layerJobs: Array<Promise<void>> = [];
  for (const [manifest, kind] of [[sig, 'sig'], [att, 'att']] as const) {
    for (const [i, layer] of (manifest?.json.layers ?? []).entries()) {
      const source = `${formatReference({ ...repo, tag: `sha256-${hex}.${kind}` })} layer ${i}`;
      if (kind === 'sig' && layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
      if (kind === 'att' && layer.mediaType !== DSSE_LAYER_MEDIA_TYPE) continue;
      layerJobs.push(
        client.blob(repo, layer.digest).then((blob) => {
          const target = kind === 'sig' ? signatures : attestations;
          target.push({
            layout: 'legacy',
            source,
            check: (authority) => {
              const result = verifyLegacyLayer(layer, blob, authority, trust);
              if (!result.ok) return result;
              if (kind === 'sig') {
                const signed = simpleSigningDigest(result.payload);
                if ('error' in signed) return { ok: false, failure: { reason: 'unsupported', message: signed.error } };
                return { ok: true, signer: result.signer, ...(result.signedAt ? { signedAt: result.signedAt } : {}), signedDigest: signed.digest };
              }
              const statement = statementOf(result);
              if ('reason' in statement) return { ok: false, failure: statement };
              return { ok: true, signer: result.signer, ...(result.signedAt ? { signedAt: result.signedAt } : {}), statement };
            },
          });
        }),
      );
    }
  }
  const bundleDescriptors = (referrers ?? []).filter((d: Descriptor) => isBundleType(d.artifactType));
  for (const descriptor of bundleDescriptors) {
    layerJobs.push(
      (async () => {
        const manifest = await client.manifest(repo, descriptor.digest);
        const layer = manifest?.json.layers?.[0];
        if (!manifest || !layer) {
          notes.push(`referrer ${descriptor.digest} has no bundle layer`);
          return;
        }
        const bytes = await client.blob(repo, layer.digest);
        const source = `${formatReference({ ...repo, digest: descriptor.digest })} (referrer)`;
        let json: unknown;
        try {
          json = JSON.parse(bytes.toString('utf8'));
        } catch {
          json = undefined;
        }
        const isMessage = json !== null && typeof json === 'object' && 'messageSignature' in (json as object);
        let predicate: string | undefined;
        if (!isMessage) {
          try {
            const envelope = (json as { dsseEnvelope?: { payload?: string } }).dsseEnvelope;
            predicate = (JSON.parse(Buffer.from(envelope?.payload ?? '', 'base64').toString('utf8')) as { predicateType?: string }).predicateType;
          } catch {
            predicate = undefined;
          }
        }
        // Unverified routing only: a statement claiming to be a signature is verified as one.
        const target = isMessage || predicate === COSIGN_SIGN_PREDICATE ? signatures : attestations;
        target.push({
          layout: 'bundle',
          source,
          check: (authority) => {
            if (json === undefined) return { ok: false, failure: { reason: 'tampered', message: 'the bundle is not JSON' } };
            const result = verifyBundle(json, authority, trust, isMessage ? manifestBytes : undefined);
            if (!result.ok) return result;
            const base = { ok: true as const, signer: result.signer, ...(result.signedAt ? { signedAt: result.signedAt } : {}) };
            if (result.messageDigest) return { ...base, signedDigest: `sha256:${result.messageDigest}` };
            const statement = statementOf(result);
            if ('reason' in statement) return { ok: false, failure: statement };
            return { ...base, statement };
          },
        });
      })(),
    );
  }
  await Promise.all(layerJobs);
  return { signatures, attestations, notes };
}

function firstPassing(candidate: Candidate, authorities: readonly Authority[]): ReturnType<Candidate['check']> {
  let last: ReturnType<Candidate['check']> = { ok: false, failure: { reason: 'untrusted', message: 'no authority' } };
  const failures: VerifyFailure[] = [];
  for (const authority of authorities) {
    last = candidate.check(authority);
    if (last.ok) return last;
    failures.push(last.failure);
  }
  const decisive = sortFailures(failures)[0];
  return decisive ? { ok: false, failure: decisive } : last;
}

/**
 * Verify an image against a policy: resolve the reference to a digest, find signatures and
 * attestations in both layouts, verify each offline, bind each to the digest, then check the
 * attestation requirements and the scan gate. The outcome lists every reason it is not verified.
 */
export async function verifyImage(reference: string | ImageReference, policy: ImagePolicy, options: VerifyImageOptions): Promise<VerifyOutcome> {
  const repo = typeof reference === 'string' ? imageReference(reference) : reference;
  const name = formatReference(repo);
  const manifest = await options.client.manifest(repo, repo.digest ?? repo.tag ?? 'latest');
  if (!manifest) return { verified: false, signatures: [], attestations: [], failures: [{ reason: 'no-signature', message: `${name}: no such image in the registry` }], notes: [] };
  const digest = manifest.digest;
  if (repo.digest && repo.digest !== digest) return { verified: false, digest, signatures: [], attestations: [], failures: [{ reason: 'digest-mismatch', message: `${name}: the registry served ${digest}` }], notes: [] };
  const found = await candidates(repo, digest, manifest.bytes, options.client, options.trust, policy.signatureFormat);
  const failures: VerifyFailure[] = [];
  const signatures: VerifiedItem[] = [];
  const attestations: VerifiedItem[] = [];

  if (policy.authorities.length > 0) {
    for (const candidate of found.signatures) {
      const result = firstPassing(candidate, policy.authorities);
      if (!result.ok) {
        failures.push({ ...result.failure, source: candidate.source });
        continue;
      }
      const signed = result.signedDigest ?? (result.statement && statementCovers(result.statement, digest) ? digest : result.statement ? subjectDigests(result.statement).join(', ') : undefined);
      if (signed !== digest) {
        failures.push({ reason: 'digest-mismatch', message: `the signature is for ${signed ?? 'nothing'}, not ${digest} (another image's signature)`, source: candidate.source });
        continue;
      }
      signatures.push({ layout: candidate.layout, source: candidate.source, signer: result.signer, ...(result.signedAt ? { signedAt: result.signedAt.toISOString() } : {}) });
    }
    if (found.signatures.length === 0) failures.push({ reason: 'no-signature', message: `no signature for ${digest} (looked at ${policy.signatureFormat === 'bundle' ? 'OCI referrers' : policy.signatureFormat === 'legacy' ? `the sha256-${digest.slice(7)}.sig tag` : `the sha256-${digest.slice(7)}.sig tag and OCI referrers`})` });
  }

  const requirements = [...(policy.attestations ?? [])];
  if (policy.scanGate && !requirements.some((r) => predicateMatches('vuln', predicateTypesFor(r.predicateType)[0] ?? ''))) requirements.push({ name: 'vuln', predicateType: 'vuln' });
  const verifiedStatements: InTotoStatement[] = [];
  if (requirements.length > 0) {
    const seen = new Set<Candidate>();
    for (const requirement of requirements) {
      const authorities = requirement.authorities ?? policy.authorities;
      let satisfied = false;
      const misses: VerifyFailure[] = [];
      for (const candidate of found.attestations) {
        const result = firstPassing(candidate, authorities);
        if (!result.ok) {
          misses.push({ ...result.failure, source: candidate.source });
          continue;
        }
        const statement = result.statement as InTotoStatement;
        if (!predicateMatches(requirement.predicateType, statement.predicateType)) continue;
        if (!statementCovers(statement, digest)) {
          misses.push({ reason: 'digest-mismatch', message: `the ${requirement.name} attestation is for ${subjectDigests(statement).join(', ') || 'no digest'}, not ${digest}`, source: candidate.source });
          continue;
        }
        satisfied = true;
        if (!seen.has(candidate)) {
          seen.add(candidate);
          verifiedStatements.push(statement);
          attestations.push({ layout: candidate.layout, source: candidate.source, signer: result.signer, ...(result.signedAt ? { signedAt: result.signedAt.toISOString() } : {}), statement });
        }
      }
      if (!satisfied) {
        failures.push(...misses);
        failures.push({ reason: 'no-attestation', message: `no verified ${requirement.name} attestation (${predicateTypesFor(requirement.predicateType).join(' or ')}) for ${digest}` });
      }
    }
  }
  if (policy.scanGate && verifiedStatements.length > 0) {
    const gate = evaluateScanGate(verifiedStatements, policy.scanGate, options.trust.now);
    if (gate.failure) failures.push(gate.failure);
  }
  const signatureOk = policy.authorities.length === 0 || signatures.length > 0;
  const attestationFailure = failures.some((f) => f.reason === 'no-attestation' || f.reason === 'stale-scan' || f.reason === 'vulnerable' || (f.reason === 'unsupported' && !f.source));
  const verified = signatureOk && !attestationFailure;
  // Failures of other signatures do not matter once one verified; keep them as notes.
  const kept = verified ? [] : signatureOk ? failures.filter((f) => !found.signatures.some((c) => c.source === f.source)) : failures;
  const notes = [...found.notes, ...(verified ? failures.map((f) => `${f.source ? `${f.source}: ` : ''}${f.reason}: ${f.message}`) : [])];
  return { verified, digest, signatures, attestations, failures: sortFailures(kept), notes };
}
