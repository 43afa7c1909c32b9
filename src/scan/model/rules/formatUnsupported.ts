import { modelRule } from './modelRule.js';

export const formatUnsupported = modelRule({
  id: 'FORMAT_UNSUPPORTED',
  title: 'Not a model format',
  description: 'The file is not in any model format palisade reads, so no verdict about its safety can be given.',
});
