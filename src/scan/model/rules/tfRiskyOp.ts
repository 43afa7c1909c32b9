import { modelRule } from './modelRule.js';

export const tfRiskyOp = modelRule({
  id: 'TF_RISKY_OP',
  title: 'TensorFlow graph reads the file system',
  description: 'The TensorFlow graph holds an op that reads the file system (ReadFile, MatchingFiles…), a way to exfiltrate files through model outputs.',
});
