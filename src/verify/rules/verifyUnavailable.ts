import { defineRule } from '../../core/rule.js';

export const verifyUnavailable = defineRule({
  id: 'IMAGE_VERIFICATION_UNAVAILABLE',
  family: 'verify',
  severity: 'medium',
  title: 'Image could not be verified in time',
  description: 'The registry could not be reached, refused the request, or did not answer before the deadline, so neither a signature nor its absence could be established.',
  remediation: 'Check registry reachability and pull credentials from where palisade runs; raise the webhook deadline only after caching is warm.',
  frameworks: { 'nist-800-53': ['SI-7'] },
  messages: { unavailable: '{image}: {message}' },
});
