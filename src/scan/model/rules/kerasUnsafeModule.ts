import { modelRule } from './modelRule.js';

export const kerasUnsafeModule = modelRule({
  id: 'KERAS_UNSAFE_MODULE',
  title: 'Keras config names an arbitrary module',
  description: 'A layer or object in the Keras config names a module outside Keras (os, subprocess, builtins…), which Keras imports and calls while deserializing.',
});
