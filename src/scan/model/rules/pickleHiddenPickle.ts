import { modelRule } from './modelRule.js';

export const pickleHiddenPickle = modelRule({
  id: 'PICKLE_HIDDEN_PICKLE',
  title: 'A pickle is hidden where no loader unpickles it',
  description: 'A pickle that imports globals is stored where no loader unpickles it (after STOP, in a string, in an unused member). Harmless by itself, but a staging trick that a second stage or a confused loader can reach.',
});
