import { verdictRule } from './modelRule.js';

export const modelUnsupported = verdictRule(
  'unsupported',
  'Not a model format',
  'One finding per scanned file that is in no model format palisade reads (pickle, PyTorch, NumPy, joblib, safetensors, GGUF, Keras, ONNX, TensorFlow, archives), so no verdict about its safety could be given. Informational.',
);
