import { verdictRule } from './modelRule.js';

export const modelSuspicious = verdictRule(
  'suspicious',
  'Model file uses constructs outside the safe allow-list',
  'One finding per model file whose verdict is suspicious: nothing proves code runs on load, but the file uses constructs a plain weights file never needs (globals outside the weights-only allow-list, hidden pickles, archive tricks). The message names the worst rule that fired; `files[].findings` lists every rule.',
);
