import { defineRule } from '../../core/rule.js';

export const vulnerableAttested = defineRule({
  id: 'IMAGE_VULNERABILITY_ATTESTED',
  family: 'verify',
  severity: 'high',
  title: "Attested scan reports vulnerabilities at or above the policy's severity",
  description: "The newest verified scan attestation of the image lists vulnerabilities at or above the policy's maximum severity that no VEX statement (signed OpenVEX or CycloneDX attestation, or the report's own analysis) marks not_affected or fixed.",
  remediation: 'Upgrade the affected packages and re-scan, or attach a signed VEX statement with the justification when the vulnerable code is not reachable.',
  frameworks: { 'nist-800-53': ['RA-5', 'SI-2'] },
  messages: { vulnerable: '{image}: {message}' },
});
