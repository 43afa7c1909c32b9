import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const noFrom: RuleMeta = {
  id: 'DOCKERFILE_NO_FROM',
  family: 'dockerfile',
  severity: 'high',
  title: 'Dockerfile has no FROM instruction',
  description: 'The file has no FROM instruction, so it is not a buildable Dockerfile; the rules that judge the final stage (USER, HEALTHCHECK, base image pins) had nothing to judge.',
  remediation: 'Start the Dockerfile with a FROM instruction naming a pinned base image.',
  frameworks: {},
  messages: { noFrom: 'no FROM instruction: this is not a buildable Dockerfile' },
};
