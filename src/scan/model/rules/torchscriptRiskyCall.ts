import { modelRule } from './modelRule.js';

export const torchscriptRiskyCall = modelRule({
  id: 'TORCHSCRIPT_RISKY_CALL',
  title: 'TorchScript code reads files or needs a native library',
  description: 'The code/ of a TorchScript archive calls an operator that reads files (from_file, load) or a custom operator or class whose kernel is a native library loaded with the model.',
});
