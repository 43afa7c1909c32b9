import { modelRule } from './modelRule.js';

export const safetensorsMalformed = modelRule({
  id: 'SAFETENSORS_MALFORMED',
  title: 'safetensors file is malformed',
  description: 'The safetensors header is invalid (length, JSON, dtypes or offsets that overlap or leave the file), so the safetensors loader refuses it.',
});
