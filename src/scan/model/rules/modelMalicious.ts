import { verdictRule } from './modelRule.js';

export const modelMalicious = verdictRule(
  'malicious',
  'Model file runs code when loaded',
  'One finding per model file whose verdict is malicious: loading it with its usual loader runs code chosen by whoever wrote it (a deny-listed pickle callable, a Keras Lambda, a TensorFlow op that runs code…). The message names the worst rule that fired, with its offset and archive member; `files[].findings` lists every rule.',
);
