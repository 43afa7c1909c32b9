import { modelRule } from './modelRule.js';

export const pickleNonAllowlistedGlobal = modelRule({
  id: 'PICKLE_NON_ALLOWLISTED_GLOBAL',
  title: 'Pickle imports something outside the weights-only allow-list',
  description: 'The pickle imports a global outside the weights-only allow-list (the callables torch.load(weights_only=True) and safe loaders accept). Not proof of an attack, but a plain tensor checkpoint never needs it.',
});
