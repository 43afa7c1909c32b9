import type { Rule } from '../../core/rule.js';
import type { VerifyReason } from '../types.js';
import { attestationMissing } from './attestationMissing.js';
import { modelSignatureInvalid } from './modelSignatureInvalid.js';
import { policyUnsupported } from './policyUnsupported.js';
import { scanStale } from './scanStale.js';
import { signatureInvalid } from './signatureInvalid.js';
import { signatureMissing } from './signatureMissing.js';
import { signerUntrusted } from './signerUntrusted.js';
import { verifyUnavailable } from './verifyUnavailable.js';
import { vulnerableAttested } from './vulnerableAttested.js';

export { attestationMissing, modelSignatureInvalid, policyUnsupported, scanStale, signatureInvalid, signatureMissing, signerUntrusted, verifyUnavailable, vulnerableAttested };

export const VERIFY_RULES: readonly Rule[] = [signatureMissing, signatureInvalid, signerUntrusted, attestationMissing, scanStale, vulnerableAttested, policyUnsupported, verifyUnavailable, modelSignatureInvalid];

/** Which rule and message a reason becomes for an image. */
export const IMAGE_RULE_OF: Readonly<Record<VerifyReason, { rule: Rule; messageId: string }>> = {
  'no-signature': { rule: signatureMissing, messageId: 'missing' },
  tampered: { rule: signatureInvalid, messageId: 'tampered' },
  'digest-mismatch': { rule: signatureInvalid, messageId: 'digest' },
  'wrong-identity': { rule: signerUntrusted, messageId: 'identity' },
  untrusted: { rule: signerUntrusted, messageId: 'untrusted' },
  expired: { rule: signerUntrusted, messageId: 'expired' },
  'no-tlog': { rule: signerUntrusted, messageId: 'tlog' },
  'no-attestation': { rule: attestationMissing, messageId: 'missing' },
  'stale-scan': { rule: scanStale, messageId: 'stale' },
  vulnerable: { rule: vulnerableAttested, messageId: 'vulnerable' },
  unsupported: { rule: policyUnsupported, messageId: 'unsupported' },
  unavailable: { rule: verifyUnavailable, messageId: 'unavailable' },
};
