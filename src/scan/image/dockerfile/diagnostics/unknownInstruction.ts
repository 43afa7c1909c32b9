import type { RuleMeta } from '../rule.js';

/** A parse diagnostic of the Dockerfile reader, reported as an input error (severe → high, warning → info). */
export const unknownInstruction: RuleMeta = {
  id: 'DOCKERFILE_UNKNOWN_INSTRUCTION',
  family: 'dockerfile',
  severity: 'high',
  title: 'Unknown Dockerfile instruction',
  description: 'A line starts with a word that is not a Dockerfile instruction (often a typo, or a shell line that lost its RUN or its continuation). BuildKit refuses the file.',
  remediation: 'Fix the instruction name, or join the line to the instruction it continues.',
  frameworks: {},
  messages: { unknown: 'unknown instruction "{keyword}"' },
};
