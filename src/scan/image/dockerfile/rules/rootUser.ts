import { finalStage, finalUser } from '../model.js';
import type { DockerfileRule } from '../rule.js';

/** The image runs as root: no USER in the final stage (or the stages it builds on), or USER root/0. */
export const rootUser: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_ROOT_USER',
    family: 'dockerfile',
    severity: 'high',
    title: 'Image runs as root',
    description: 'The final stage sets no USER, or sets root; a compromised model server then owns the container.',
    remediation: 'Add a non-root user and end the final stage with a numeric USER, e.g. USER 10001.',
    frameworks: { 'nist-800-53': ['AC-6'], cis: ['4.1'] },
    messages: {
      noUser: 'the final stage (FROM {image}) sets no USER, so the image runs as the base image user (root unless the base says otherwise)',
      rootUser: 'the final stage runs as "{user}", which is root',
    },
  },
  check(dockerfile) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const user = finalUser(dockerfile);
    if (!user) return [{ messageId: 'noUser', data: { image: stage.image }, instruction: stage.from }];
    if (!user.root) return [];
    const instruction = [...stage.instructions].reverse().find((s) => s.instruction.keyword === 'USER')?.instruction;
    return [{ messageId: 'rootUser', data: { user: user.user }, instruction: instruction ?? stage.from, ...(instruction ? { argsIndex: instruction.restStart } : {}) }];
  },
};
