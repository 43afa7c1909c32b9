import { modelRule } from './modelRule.js';

export const pickleGlobalMutation = modelRule({
  id: 'PICKLE_GLOBAL_MUTATION',
  title: 'Pickle rewrites an imported module or class',
  description: 'A BUILD opcode sets attributes on an imported module or class rather than on a fresh object, rewriting library code for the rest of the process (for instance replacing a function the loader calls next).',
});
