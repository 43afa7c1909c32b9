import { modelRule } from './modelRule.js';

export const pickleMalformed = modelRule({
  id: 'PICKLE_MALFORMED',
  title: 'Pickle stream is malformed',
  description: 'The pickle stream does not parse (unknown opcode, truncated argument, stack underflow, missing STOP): the loader will reject it, and a scanner cannot vouch for what it would do.',
});
