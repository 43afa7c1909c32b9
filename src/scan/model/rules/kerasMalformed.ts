import { modelRule } from './modelRule.js';

export const kerasMalformed = modelRule({
  id: 'KERAS_MALFORMED',
  title: 'Keras file is malformed',
  description: 'The Keras archive or HDF5 file, or its config JSON, does not parse, so Keras refuses it.',
});
