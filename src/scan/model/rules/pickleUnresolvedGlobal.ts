import { modelRule } from './modelRule.js';

export const pickleUnresolvedGlobal = modelRule({
  id: 'PICKLE_UNRESOLVED_GLOBAL',
  title: 'Pickle import cannot be resolved statically',
  description: 'The module or name of an imported global is computed while the pickle runs (STACK_GLOBAL fed by a call), so no static reading can tell what gets imported; honest writers always name their globals with constants.',
});
