import { defineRule } from '../../core/rule.js';

export const signerUntrusted = defineRule({
  id: 'IMAGE_SIGNER_UNTRUSTED',
  family: 'verify',
  severity: 'high',
  title: 'Image is signed, but not by a trusted signer',
  description: 'The signature verifies, but not with a key or identity the policy trusts: another key, a certificate identity (SAN) or OIDC issuer other than the expected one, a certificate that does not chain to the trusted root, a certificate that had expired when it was used, or no transparency-log entry or signed timestamp where one is required.',
  remediation: 'Sign with the key or CI identity the policy names, or add the signer to the policy after review; keep trusted_root.json current with palisade verify update-root.',
  frameworks: { 'nist-800-53': ['SI-7', 'IA-5'], 'mitre-attack': ['T1610'] },
  messages: { identity: '{image}: {message}', untrusted: '{image}: {message}', expired: '{image}: {message}', tlog: '{image}: {message}' },
});
