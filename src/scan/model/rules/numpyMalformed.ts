import { modelRule } from './modelRule.js';

export const numpyMalformed = modelRule({
  id: 'NUMPY_MALFORMED',
  title: 'NumPy file is malformed',
  description: 'The .npy header or data does not parse (bad magic, header dictionary or shape). NumPy will refuse it, and object arrays inside cannot be judged.',
});
