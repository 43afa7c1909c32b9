import { verdictRule } from './modelRule.js';

export const modelInvalid = verdictRule(
  'invalid',
  'Model file is malformed',
  'One finding per model file whose verdict is invalid: the file claims a model format but does not parse as one, so its loader will reject it and no scanner can vouch for it. The message names the first parse problem with its offset.',
);
