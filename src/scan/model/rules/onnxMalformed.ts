import { modelRule } from './modelRule.js';

export const onnxMalformed = modelRule({
  id: 'ONNX_MALFORMED',
  title: 'ONNX protobuf is malformed',
  description: 'The ONNX protobuf does not parse, so ONNX Runtime refuses it.',
});
