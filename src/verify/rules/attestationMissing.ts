import { defineRule } from '../../core/rule.js';

export const attestationMissing = defineRule({
  id: 'IMAGE_ATTESTATION_MISSING',
  family: 'verify',
  severity: 'high',
  title: 'Required attestation is missing',
  description: 'The policy requires an attestation (a vulnerability scan, SLSA provenance, an SBOM) signed by a trusted signer and bound to the image digest, and none verified. An attestation for another digest does not count.',
  remediation: 'Attach the attestation in CI (cosign attest --type vuln|slsaprovenance1|cyclonedx --predicate …) for the exact digest you deploy.',
  frameworks: { 'nist-800-53': ['SR-4', 'RA-5'] },
  messages: { missing: '{image}: {message}' },
});
