import { modelRule } from './modelRule.js';

export const pickleResourceTrap = modelRule({
  id: 'PICKLE_RESOURCE_TRAP',
  title: 'Pickle sets a resource-exhaustion trap',
  description: 'The stream is built to exhaust the loader (huge allocations, deep nesting, memo blow-ups) rather than to hold weights: a denial of service on whoever loads it.',
});
