/**
 * The verify engine's contract. Everything a caller needs to decide "verified or not, and why"
 * is in `VerifyOutcome`; trust material, clocks and registry clients come in as arguments.
 */

/** Why something did not verify: the words the CLI prints and the rules map to. */
export const VERIFY_REASONS = [
  'no-signature',
  'wrong-identity',
  'digest-mismatch',
  'expired',
  'tampered',
  'untrusted',
  'no-tlog',
  'no-attestation',
  'stale-scan',
  'vulnerable',
  'unsupported',
  'unavailable',
] as const;
export type VerifyReason = (typeof VERIFY_REASONS)[number];

export interface VerifyFailure {
  reason: VerifyReason;
  message: string;
  /** Where the failing material came from: a tag, a referrer digest, a file. */
  source?: string;
}

/** Who signed, as the verified material says. */
export interface SignerInfo {
  /** Keyed: which of the given keys verified it (its index or name). */
  key?: string;
  /** Keyless: the certificate's subject alternative name. */
  subject?: string;
  /** Keyless: the OIDC issuer the certificate records (Fulcio extension). */
  issuer?: string;
}

/** A certificate identity to accept: exact values or regular expressions (anchored), as cosign's flags. */
export interface IdentityMatcher {
  subject?: string;
  subjectRegExp?: string;
  issuer?: string;
  issuerRegExp?: string;
}

export type SignatureLayout = 'legacy' | 'bundle';

/** One signature or attestation that verified. */
export interface VerifiedItem {
  layout: SignatureLayout;
  source: string;
  signer: SignerInfo;
  /** When it was signed, by the strongest timestamp that verified (tlog or TSA). */
  signedAt?: string;
  /** For attestations: the in-toto Statement. */
  statement?: InTotoStatement;
}

export interface InTotoStatement {
  type: string;
  subject: Array<{ name?: string; digest: Record<string, string> }>;
  predicateType: string;
  predicate: unknown;
}

export interface VerifyOutcome {
  verified: boolean;
  /** The digest that was verified (images), or the artifact's. */
  digest?: string;
  signatures: VerifiedItem[];
  attestations: VerifiedItem[];
  /** Every reason something did not verify, most decisive first. */
  failures: VerifyFailure[];
  /** Things worth telling that did not decide the outcome. */
  notes: string[];
}
