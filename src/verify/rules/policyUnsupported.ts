import { defineRule } from '../../core/rule.js';

export const policyUnsupported = defineRule({
  id: 'IMAGE_POLICY_UNSUPPORTED',
  family: 'verify',
  severity: 'medium',
  title: 'Image policy has parts palisade cannot evaluate',
  description: 'A ClusterImagePolicy uses a cue or rego policy body, a KMS or secretRef key, or another signature repository. palisade reports the policy as unsupported rather than ignoring the part: the images it matches are denied (or warned about, in warn mode) until the part is replaced.',
  remediation: 'Put the public key in key.data, replace cue/rego vulnerability bodies with images.policies[].scan in .palisade.yaml, or keep policy-controller for that policy.',
  frameworks: { 'nist-800-53': ['CM-7'] },
  messages: { unsupported: '{image}: {message}' },
});
