import { modelRule } from './modelRule.js';

export const kerasUnsafeDeserialization = modelRule({
  id: 'KERAS_UNSAFE_DESERIALIZATION',
  title: 'Keras config switches safe mode off',
  description: 'The Keras config references a function that switches safe mode off or enables unsafe deserialization, after which later layers can run code.',
});
