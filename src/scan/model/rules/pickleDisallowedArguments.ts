import { modelRule } from './modelRule.js';

export const pickleDisallowedArguments = modelRule({
  id: 'PICKLE_DISALLOWED_ARGUMENTS',
  title: 'Allow-listed callable called with unusual arguments',
  description: 'An allow-listed callable is called with arguments outside the shapes it is allowed with (for instance a dtype or storage call with a type that is not a tensor type), which is how allow-list bypasses smuggle behaviour in.',
});
