import { modelRule } from './modelRule.js';

export const pickleMisplacedProto = modelRule({
  id: 'PICKLE_MISPLACED_PROTO',
  title: 'PROTO opcode in the middle of a pickle',
  description: 'A PROTO opcode appears after the start of the stream. Writers emit it only first; a second one is a sign of stitched streams meant to confuse scanners that stop at the first STOP or PROTO.',
});
