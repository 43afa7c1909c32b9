import { defineRule } from '../../core/rule.js';

export const signatureMissing = defineRule({
  id: 'IMAGE_SIGNATURE_MISSING',
  family: 'verify',
  severity: 'high',
  title: 'Image has no signature',
  description: 'No cosign signature was found for the image digest, neither at the legacy `sha256-<hex>.sig` tag nor as a Sigstore bundle among its OCI 1.1 referrers (or the referrers tag). An unsigned image can come from anyone who can push to the repository.',
  remediation: 'Sign the image in CI (cosign sign --key or keyless with the workflow identity) and verify it with palisade verify image before deploying.',
  frameworks: { 'nist-800-53': ['SI-7', 'SR-4'], 'mitre-atlas': ['AML.T0010'], 'mitre-attack': ['T1610'] },
  messages: { missing: '{image}: no signature for {digest}', noMatch: '{image} matches no image policy and images.noMatch is deny' },
});
