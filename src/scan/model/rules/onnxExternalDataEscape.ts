import { modelRule } from './modelRule.js';

export const onnxExternalDataEscape = modelRule({
  id: 'ONNX_EXTERNAL_DATA_ESCAPE',
  title: 'ONNX external data leaves the model folder',
  description: 'A tensor\'s external data location is absolute or climbs out of the model folder, so loading the model reads (and can leak) arbitrary files (CVE-2024-27318 and friends).',
});
