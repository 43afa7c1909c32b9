import { modelRule } from './modelRule.js';

export const onnxCustomDomain = modelRule({
  id: 'ONNX_CUSTOM_DOMAIN',
  title: 'ONNX node in a custom operator domain',
  description: 'A node uses a custom operator domain, which needs a native custom-op library at load time: native code outside the model\'s own graph.',
});
