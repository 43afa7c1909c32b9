import { evaluateImage, type NamedPolicy, type RegistryClient, type TrustOptions } from '../../verify/index.js';
import type { ImageToVerify, ImageVerdict as AdmissionVerdict, ImageVerifier as AdmissionImageVerifier, VerifyContext } from '../types.js';

export interface SigstoreAdmissionOptions {
  policies: readonly NamedPolicy[];
  noMatch: 'deny' | 'allow' | 'warn';
  trust: Omit<TrustOptions, 'now'>;
  /** A registry client bound to the request's abort signal (its deadline). */
  clientFor: (signal: AbortSignal) => RegistryClient;
}

/**
 * palisade verify as `palisade serve`'s image verifier (src/admission/types.ts ImageVerifier).
 * The server resolves tags, deduplicates images, runs verifiers in parallel and caches verdicts
 * by digest and namespace within the request's deadline; this adapter verifies one digest against
 * the policies the image (as written) matches, offline apart from the registry.
 */
export function sigstoreAdmissionVerifier(options: SigstoreAdmissionOptions): AdmissionImageVerifier {
  return {
    name: 'sigstore',
    async verify(image: ImageToVerify, context: VerifyContext): Promise<AdmissionVerdict> {
      const verdict = await evaluateImage(image.image, { policies: options.policies, noMatch: options.noMatch, client: options.clientFor(context.signal), trust: options.trust, clock: context.now }, image.digest);
      const first = verdict.failures[0];
      return {
        allowed: verdict.allowed,
        ...(first ? { message: `${image.image}: ${first.reason.replace(/-/g, ' ')}: ${first.message}` } : {}),
        ...(verdict.warnings.length > 0 || verdict.failures.length > 1 ? { warnings: [...verdict.warnings, ...verdict.failures.slice(1).map((f) => `${image.image}: ${f.reason}: ${f.message}`)] } : {}),
        auditAnnotations: { digest: image.digest, policies: verdict.policies.join(',') || 'none', signatures: String(verdict.signatures.length), attestations: String(verdict.attestations.length), ...(first ? { reason: first.reason } : {}) },
        // A registry that could not answer is asked again next time.
        ...(verdict.failures.some((f) => f.reason === 'unavailable') ? { ttlSeconds: 0 } : {}),
      };
    },
  };
}
