import { defineRule } from '../../core/rule.js';

export const signatureInvalid = defineRule({
  id: 'IMAGE_SIGNATURE_INVALID',
  family: 'verify',
  severity: 'critical',
  title: 'Image signature is tampered or signs another digest',
  description: "A signature was found but does not hold: a byte of the payload, signature, certificate or inclusion proof was changed, or the signed digest (simple-signing `docker-manifest-digest`, the in-toto subject, or the bundle's message digest) is not the digest of this image, as when another image's signature is copied over.",
  remediation: 'Treat the image as compromised until its provenance is known; rebuild, re-sign and re-push it, and find who could write to the repository.',
  frameworks: { 'nist-800-53': ['SI-7', 'SR-11'], 'mitre-atlas': ['AML.T0010'], 'mitre-attack': ['T1525'] },
  messages: { tampered: '{image}: {message}', digest: '{image}: {message}' },
});
