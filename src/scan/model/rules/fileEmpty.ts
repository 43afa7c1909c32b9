import { modelRule } from './modelRule.js';

export const fileEmpty = modelRule({
  id: 'FILE_EMPTY',
  title: 'Empty file',
  description: 'The file has no bytes; no loader accepts it, often a failed download or a Git LFS pointer that was never fetched.',
});
