import { modelRule } from './modelRule.js';

export const pickleDenylistedGlobal = modelRule({
  id: 'PICKLE_DENYLISTED_GLOBAL',
  title: 'Pickle imports a dangerous callable',
  description: 'The pickle imports a callable on the deny-list (os.system, builtins.exec, subprocess, runpy…): unpickling it runs that callable with attacker-chosen arguments, which is code execution on whoever loads the model.',
});
