import { modelRule } from './modelRule.js';

export const pickleNestedMalicious = modelRule({
  id: 'PICKLE_NESTED_MALICIOUS',
  title: 'Nested pickle is malicious',
  description: 'Bytes handed to a callable that unpickles them (pickle.loads, torch.load and friends) hold a second pickle, and that pickle is malicious in its own right.',
});
