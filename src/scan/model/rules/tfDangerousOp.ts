import { modelRule } from './modelRule.js';

export const tfDangerousOp = modelRule({
  id: 'TF_DANGEROUS_OP',
  title: 'TensorFlow graph runs code or writes files',
  description: 'The TensorFlow graph holds an op that runs code or writes files (PyFunc, WriteFile, Save ops…), which executes when the SavedModel runs.',
});
