import { modelRule } from './modelRule.js';

export const tfMalformed = modelRule({
  id: 'TF_MALFORMED',
  title: 'TensorFlow protobuf is malformed',
  description: 'The SavedModel or GraphDef protobuf does not parse, so TensorFlow refuses it.',
});
