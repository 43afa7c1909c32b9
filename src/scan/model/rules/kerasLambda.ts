import { modelRule } from './modelRule.js';

export const kerasLambda = modelRule({
  id: 'KERAS_LAMBDA',
  title: 'Keras Lambda layer carries code',
  description: 'A Keras model config holds a Lambda layer, whose marshalled Python bytecode runs when the model is loaded (with safe_mode off, or in Keras versions before safe mode).',
});
