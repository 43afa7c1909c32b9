import { describe, expect, it } from 'vitest';
import { imageFindings, modelFindings } from '../../src/verify/findings.js';
import type { VerifyReason } from '../../src/verify/types.js';

/**
 * Each reason the verifier gives becomes one rule's finding (src/verify/rules/index.ts IMAGE_RULE_OF):
 * the id, severity and message a report carries, per reason.
 */
describe('verify findings: reason → rule', () => {
  const cases: Array<[VerifyReason, string, string, string]> = [
    ['no-signature', 'IMAGE_SIGNATURE_MISSING', 'high', 'reg.test/ml/a:1: no signature for why'],
    ['tampered', 'IMAGE_SIGNATURE_INVALID', 'critical', 'reg.test/ml/a:1: why'],
    ['digest-mismatch', 'IMAGE_SIGNATURE_INVALID', 'critical', 'reg.test/ml/a:1: why'],
    ['wrong-identity', 'IMAGE_SIGNER_UNTRUSTED', 'high', 'reg.test/ml/a:1: why'],
    ['untrusted', 'IMAGE_SIGNER_UNTRUSTED', 'high', 'reg.test/ml/a:1: why'],
    ['expired', 'IMAGE_SIGNER_UNTRUSTED', 'high', 'reg.test/ml/a:1: why'],
    ['no-tlog', 'IMAGE_SIGNER_UNTRUSTED', 'high', 'reg.test/ml/a:1: why'],
    ['no-attestation', 'IMAGE_ATTESTATION_MISSING', 'high', 'reg.test/ml/a:1: why'],
    ['stale-scan', 'IMAGE_SCAN_STALE', 'medium', 'reg.test/ml/a:1: why'],
    ['vulnerable', 'IMAGE_VULNERABILITY_ATTESTED', 'high', 'reg.test/ml/a:1: why'],
    ['unsupported', 'IMAGE_POLICY_UNSUPPORTED', 'medium', 'reg.test/ml/a:1: why'],
    ['unavailable', 'IMAGE_VERIFICATION_UNAVAILABLE', 'medium', 'reg.test/ml/a:1: why'],
  ];
  for (const [reason, id, severity, message] of cases) {
    it(`${reason} → ${id}`, () => {
      expect(imageFindings('reg.test/ml/a:1', [{ reason, message: 'why' }]).map((f) => [f.checkId, f.severity, f.message])).toEqual([[id, severity, message]]);
    });
  }

  it('names the source of the failing material after the message', () => {
    expect(imageFindings('reg.test/ml/a:1', [{ reason: 'tampered', message: 'bad signature', source: 'sha256-abc.sig' }])[0]!.message).toBe('reg.test/ml/a:1: bad signature (sha256-abc.sig)');
  });

  it('a model whose files differ from the signature → MODEL_SIGNATURE_INVALID, one finding per failure', () => {
    const findings = modelFindings('models/m', { verified: false, files: 2, mismatched: [], missing: [], added: [], failures: [{ reason: 'tampered', message: 'digest differs' }, { reason: 'no-signature', message: 'model.sig missing' }] });
    expect(findings.map((f) => [f.checkId, f.severity, f.message])).toEqual([
      ['MODEL_SIGNATURE_INVALID', 'critical', 'models/m: tampered: digest differs'],
      ['MODEL_SIGNATURE_INVALID', 'critical', 'models/m: no-signature: model.sig missing'],
    ]);
  });
});
