import type { Config } from '../core/config.js';
import type { AdmissionSettings } from './config.js';
import type { ImageVerifier } from './types.js';

/**
 * Where image verifiers plug into `palisade serve`. A module that verifies images (signatures,
 * attestations, scan reports: src/verify) adds one factory here; the server builds the verifiers
 * once at start-up from the config (`admission.verify:` is passed as is, for the factory to
 * validate) and calls every one on every distinct image of a request.
 */
export interface VerifierFactoryInput {
  /** `admission.verify` from .palisade.yaml (unvalidated; each factory validates its own part). */
  verify: Readonly<Record<string, unknown>>;
  settings: AdmissionSettings;
  config: Config;
}

/** A factory returns undefined when its part of `admission.verify` is absent (the verifier is off). */
export type VerifierFactory = (input: VerifierFactoryInput) => Promise<ImageVerifier | undefined> | ImageVerifier | undefined;

export const VERIFIER_FACTORIES: VerifierFactory[] = [];

export async function buildVerifiers(input: VerifierFactoryInput, factories: readonly VerifierFactory[] = VERIFIER_FACTORIES): Promise<ImageVerifier[]> {
  const built = await Promise.all(factories.map((factory) => factory(input)));
  return built.filter((v): v is ImageVerifier => v !== undefined);
}
