import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const missingArguments: RuleMeta = {
  id: 'DOCKERFILE_MISSING_ARGUMENTS',
  family: 'dockerfile',
  severity: 'high',
  title: 'Dockerfile instruction has no arguments',
  description: 'An instruction that needs arguments (FROM, RUN, COPY, USER…) has none; BuildKit refuses the Dockerfile.',
  remediation: 'Give the instruction its arguments, or delete it.',
  frameworks: {},
  messages: { missing: '{keyword} requires at least one argument' },
};
