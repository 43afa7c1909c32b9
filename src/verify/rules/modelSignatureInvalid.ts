import { defineRule } from '../../core/rule.js';

export const modelSignatureInvalid = defineRule({
  id: 'MODEL_SIGNATURE_INVALID',
  family: 'verify',
  severity: 'critical',
  title: 'Model directory does not match its signature',
  description: 'The OpenSSF model signature (model_signing bundle) does not verify, or the directory differs from its signed manifest: a file changed, a signed file is missing, or a file was added that the signature does not cover.',
  remediation: 'Restore the model from its source, or re-sign it (model_signing sign) after reviewing every change; never load a model whose files differ from what was signed.',
  frameworks: { 'nist-800-53': ['SI-7'], 'mitre-atlas': ['AML.T0010', 'AML.T0018'] },
  messages: { invalid: '{model}: {message}' },
});
