import { modelRule } from './modelRule.js';

export const torchHiddenStoragePickle = modelRule({
  id: 'TORCH_HIDDEN_STORAGE_PICKLE',
  title: 'Pickle hidden in a tensor storage record',
  description: 'A tensor storage record of a PyTorch archive holds a pickle that imports globals. torch never unpickles storage bytes, so it does nothing on load, but it is a staging place for a second-stage payload.',
});
