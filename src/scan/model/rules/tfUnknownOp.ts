import { modelRule } from './modelRule.js';

export const tfUnknownOp = modelRule({
  id: 'TF_UNKNOWN_OP',
  title: 'TensorFlow graph uses an op TensorFlow does not register',
  description: "A node of the graph (or of its function library) names an op that is neither in TensorFlow's op registry nor a function of the graph: it needs a custom kernel, native code loaded with the model (tf.load_op_library) that no scanner can judge.",
});
