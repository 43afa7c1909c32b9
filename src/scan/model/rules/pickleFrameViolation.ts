import { modelRule } from './modelRule.js';

export const pickleFrameViolation = modelRule({
  id: 'PICKLE_FRAME_VIOLATION',
  title: 'Pickle frame boundaries are violated',
  description: 'Protocol-4 FRAME lengths do not match the opcodes inside them. CPython\'s C unpickler and the Python one disagree on such streams, so a scanner can read a different program than the loader runs.',
});
