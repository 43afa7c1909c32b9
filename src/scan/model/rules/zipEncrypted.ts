import { modelRule } from './modelRule.js';

export const zipEncrypted = modelRule({
  id: 'ZIP_ENCRYPTED',
  verdict: 'suspicious',
  title: 'Archive member cannot be inspected',
  description: 'An archive member is flagged as encrypted and its bytes do not parse as plain data, so its content cannot be inspected; model archives are never encrypted.',
  message: 'member is encrypted (flag bit 0) and its bytes do not parse as plain data',
});
