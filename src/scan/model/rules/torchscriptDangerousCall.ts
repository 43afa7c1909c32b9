import { modelRule } from './modelRule.js';

export const torchscriptDangerousCall = modelRule({
  id: 'TORCHSCRIPT_DANGEROUS_CALL',
  title: 'TorchScript code writes files',
  description: 'The code/ of a TorchScript archive calls an operator that writes a file (aten::save). TorchScript runs when the archive is loaded (__setstate__) and on every call, so this is code execution with the loader’s rights.',
});
