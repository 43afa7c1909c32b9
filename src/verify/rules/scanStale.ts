import { defineRule } from '../../core/rule.js';

export const scanStale = defineRule({
  id: 'IMAGE_SCAN_STALE',
  family: 'verify',
  severity: 'medium',
  title: 'Vulnerability scan attestation is too old',
  description: 'The newest verified vulnerability scan attestation (`cosign.sigstore.dev/attestation/vuln/v1`) finished longer ago than the policy allows, or records no finish time. New CVEs are published daily; a month-old clean scan says little about today.',
  remediation: 'Re-scan the image on a schedule and attach a fresh vuln attestation (trivy image --format cosign-vuln | cosign attest --type vuln).',
  frameworks: { 'nist-800-53': ['RA-5'] },
  messages: { stale: '{image}: {message}' },
});
