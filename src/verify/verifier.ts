import { PalisadeError } from '../core/errors.js';
import type { TrustOptions } from './bundle.js';
import { sortFailures, verifyImage } from './image.js';
import { policiesFor, type NamedPolicy } from './policy.js';
import { formatReference, imageReference, type RegistryClient } from './registry.js';
import type { VerifiedItem, VerifyFailure } from './types.js';

/** The decision for one image under every policy that matches it. */
export interface ImageVerdict {
  image: string;
  digest?: string;
  allowed: boolean;
  /** Names of the policies that matched. */
  policies: string[];
  /** Why it is denied (enforce-mode policies), most decisive first. */
  failures: Array<VerifyFailure & { policy?: string }>;
  /** Failures of warn-mode policies, and no-match warnings: admitted, but said. */
  warnings: string[];
  signatures: VerifiedItem[];
  attestations: VerifiedItem[];
}

export interface ImageVerifierOptions {
  policies: readonly NamedPolicy[];
  /** What to do with images no policy matches (policy-controller's no-match-policy). */
  noMatch: 'deny' | 'allow' | 'warn';
  client: RegistryClient;
  trust: Omit<TrustOptions, 'now'>;
  clock: () => Date;
  /** How long a digest's verdict is reused (default 5 minutes; a scan gate ages, so not forever). */
  cacheTtlMs?: number;
  maxCacheEntries?: number;
}

/**
 * Evaluate one image against the policies that match it (matched on the name as written, as
 * policy-controller does). With `digest` (resolved by the caller), that digest is what is verified.
 * Registry failures become `unavailable`.
 */
export async function evaluateImage(image: string, options: Omit<ImageVerifierOptions, 'cacheTtlMs' | 'maxCacheEntries'>, digest?: string): Promise<ImageVerdict> {
  const matched = policiesFor(image, options.policies);
  const verdict: ImageVerdict = { image, allowed: true, policies: matched.map((p) => p.name), failures: [], warnings: [], signatures: [], attestations: [] };
  if (matched.length === 0) {
    if (options.noMatch === 'deny') verdict.failures.push({ reason: 'no-signature', message: `${image} matches no image policy, and images.noMatch is deny` });
    if (options.noMatch === 'warn') verdict.warnings.push(`${image} matches no image policy`);
    verdict.allowed = verdict.failures.length === 0;
    return verdict;
  }
  const now = options.clock();
  await Promise.all(
    matched.map(async (policy) => {
      const fails: VerifyFailure[] = [];
      if (policy.unsupported.length > 0) fails.push(...policy.unsupported.map((u) => ({ reason: 'unsupported' as const, message: `${u}: palisade cannot evaluate this, so the policy cannot pass` })));
      else if (policy.staticAction) {
        if (policy.staticAction.action === 'fail') fails.push({ reason: 'untrusted', message: policy.staticAction.message ?? 'disallowed by a static fail authority' });
      } else {
        try {
          const target = digest ? formatReference({ ...imageReference(image), digest }) : image;
          const outcome = await verifyImage(target, policy.policy, { client: options.client, trust: { ...options.trust, now } });
          if (outcome.digest) verdict.digest = outcome.digest;
          verdict.signatures.push(...outcome.signatures);
          verdict.attestations.push(...outcome.attestations);
          fails.push(...outcome.failures);
        } catch (error) {
          if (!(error instanceof PalisadeError)) throw error;
          fails.push({ reason: 'unavailable', message: error.message });
        }
      }
      if (fails.length === 0) return;
      if (policy.mode === 'warn') verdict.warnings.push(...fails.map((f) => `${policy.name}: ${f.reason}: ${f.message}`));
      else verdict.failures.push(...fails.map((f) => ({ ...f, policy: policy.name })));
    }),
  );
  verdict.failures = sortFailures(verdict.failures);
  verdict.allowed = verdict.failures.length === 0;
  return verdict;
}

/**
 * The webhook's verifier: every image of a request in parallel, each distinct image once,
 * verdicts cached by digest (tags are resolved every time: they move), all inside a deadline.
 */
export class ImageVerifier {
  private readonly cache = new Map<string, { at: number; verdict: Promise<ImageVerdict> }>();
  constructor(private readonly options: ImageVerifierOptions) {}

  private cached(key: string, now: number, make: () => Promise<ImageVerdict>): Promise<ImageVerdict> {
    const ttl = this.options.cacheTtlMs ?? 300_000;
    const hit = this.cache.get(key);
    if (hit && now - hit.at < ttl) return hit.verdict;
    const verdict = make();
    this.cache.set(key, { at: now, verdict });
    // A failure to reach the registry is not worth remembering.
    verdict.then((v) => {
      if (v.failures.some((f) => f.reason === 'unavailable')) this.cache.delete(key);
    }, () => this.cache.delete(key));
    const max = this.options.maxCacheEntries ?? 10_000;
    if (this.cache.size > max) this.cache.delete(this.cache.keys().next().value as string);
    return verdict;
  }

  private async one(image: string): Promise<ImageVerdict> {
    const now = this.options.clock().getTime();
    let ref;
    try {
      ref = imageReference(image);
    } catch (error) {
      return { image, allowed: false, policies: [], failures: [{ reason: 'unsupported', message: (error as Error).message }], warnings: [], signatures: [], attestations: [] };
    }
    if (policiesFor(image, this.options.policies).length === 0) return evaluateImage(image, this.options);
    let digest = ref.digest;
    if (!digest) {
      try {
        const manifest = await this.options.client.manifest(ref, ref.tag ?? 'latest');
        if (!manifest) return { image, allowed: false, policies: [], failures: [{ reason: 'no-signature', message: `${image}: no such image in the registry` }], warnings: [], signatures: [], attestations: [] };
        digest = manifest.digest;
      } catch (error) {
        return { image, allowed: false, policies: [], failures: [{ reason: 'unavailable', message: (error as Error).message }], warnings: [], signatures: [], attestations: [] };
      }
    }
    // The verdict depends on which policies match, and those on the name: key by both.
    const key = `${ref.registry}/${ref.repository}@${digest}|${policiesFor(image, this.options.policies).map((p) => p.name).join(',')}`;
    const resolved = digest;
    const verdict = await this.cached(key, now, () => evaluateImage(image, this.options, resolved));
    return { ...verdict, image };
  }

  /** Verdicts for every image, keyed by the image string; images past the deadline are `unavailable`. */
  async verifyAll(images: readonly string[], deadlineMs?: number): Promise<Map<string, ImageVerdict>> {
    const distinct = [...new Set(images)];
    const results = new Map<string, ImageVerdict>();
    let timer: NodeJS.Timeout | undefined;
    const late = (image: string): ImageVerdict => ({ image, allowed: false, policies: [], failures: [{ reason: 'unavailable', message: `${image}: verification did not finish within ${deadlineMs} ms` }], warnings: [], signatures: [], attestations: [] });
    const deadline = deadlineMs === undefined ? undefined : new Promise<'late'>((r) => {
      timer = setTimeout(() => r('late'), deadlineMs);
    });
    const verdicts = await Promise.all(
      distinct.map(async (image) => {
        const work = this.one(image);
        const result = deadline ? await Promise.race([work, deadline]) : await work;
        return result === 'late' ? late(image) : result;
      }),
    );
    if (timer) clearTimeout(timer);
    // In the order the images came, whatever order they finished in.
    distinct.forEach((image, i) => results.set(image, verdicts[i] as ImageVerdict));
    return results;
  }
}
