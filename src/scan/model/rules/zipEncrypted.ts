import { modelRule } from './modelRule.js';

export const zipEncrypted = modelRule({
  id: 'ZIP_ENCRYPTED',
  title: 'Archive member cannot be inspected',
  description: 'An archive member is flagged as encrypted and its bytes do not parse as plain data, so its content cannot be inspected; model archives are never encrypted.',
});
