import type { RuleMeta } from '../rule.js';

/** `--target` names no stage of the file: BuildKit refuses the build ("target stage … could not be found"). */
export const targetNotFound: RuleMeta = {
  id: 'DOCKERFILE_TARGET_NOT_FOUND',
  family: 'dockerfile',
  severity: 'high',
  title: 'Build target names no stage',
  description: 'The --target given names no `FROM … AS <name>` stage of the Dockerfile; BuildKit refuses such a build. palisade judged the last stage as the image instead.',
  remediation: 'Pass --target the name of a stage of this Dockerfile (names compare case-insensitively), or leave it out to build the last stage.',
  frameworks: {},
  messages: { missing: 'no stage is named "{target}"; judged the last stage instead' },
};
