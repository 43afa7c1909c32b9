import { modelRule } from './modelRule.js';

export const zipHeaderMismatch = modelRule({
  id: 'ZIP_HEADER_MISMATCH',
  title: 'Zip local header disagrees with the central directory',
  description: 'A member\'s local header disagrees with the central directory (name, size, method or offset). Zip readers pick different sides, so a scanner and the loader can see different files.',
});
