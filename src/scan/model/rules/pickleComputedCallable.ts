import { modelRule } from './modelRule.js';

export const pickleComputedCallable = modelRule({
  id: 'PICKLE_COMPUTED_CALLABLE',
  title: 'Pickle calls a value that is not an imported global',
  description: 'REDUCE, BUILD or OBJ calls a value produced by an earlier call instead of an imported global, a pattern real writers do not emit and gadget chains rely on.',
});
