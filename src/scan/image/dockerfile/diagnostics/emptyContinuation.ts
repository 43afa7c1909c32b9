import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const emptyContinuation: RuleMeta = {
  id: 'DOCKERFILE_EMPTY_CONTINUATION',
  family: 'dockerfile',
  severity: 'info',
  title: 'Empty continuation line in a Dockerfile',
  description: 'A line continued with the escape character is followed by an empty line. BuildKit accepts it but warns (NoEmptyContinuation), and a future version will refuse it.',
  remediation: 'Remove the empty line inside the continued instruction, or end the instruction before it.',
  frameworks: {},
  messages: { empty: 'empty continuation line' },
};
