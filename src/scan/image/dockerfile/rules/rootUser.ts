import { baseImageUser, parseImageReference } from '../../../../knowledge/index.js';
import { finalStage, finalUser, type Dockerfile, type Stage } from '../model.js';
import type { DockerfileRule } from '../rule.js';

/** The stage at the start of the final stage's FROM chain: its FROM names the base image. */
function chainRoot(dockerfile: Dockerfile, stage: Stage): Stage {
  const seen = new Set<number>();
  let current = stage;
  while (current.baseStage !== undefined && !seen.has(current.index)) {
    seen.add(current.index);
    current = dockerfile.stages[current.baseStage] as Stage;
  }
  return current;
}

/**
 * The image runs as root: USER root/0 in the final stage (or the stages it builds on), or no USER
 * over a base image that runs as root. The base's user comes from the knowledge table; a base it
 * does not know is reported as unknown, at a lower severity, never assumed root.
 */
export const rootUser: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_ROOT_USER',
    family: 'dockerfile',
    severity: 'high',
    title: 'Image runs as root',
    description:
      'The final stage sets USER root (or 0), or sets no USER over a base image that runs as root; a compromised model server then owns the container. When the base image is one palisade does not know, the finding says so and is medium, not high: the base may set a user of its own.',
    remediation: 'Add a non-root user and end the final stage with a numeric USER, e.g. USER 10001.',
    frameworks: { 'nist-800-53': ['AC-6'], cis: ['4.1'] },
    messages: {
      noUser: 'the final stage (FROM {image}) sets no USER, and {base} runs as root ({source})',
      unknownBase: 'the final stage (FROM {image}) sets no USER, and the user of {base} is unknown to palisade: set a numeric USER rather than depend on it',
      rootUser: 'the final stage runs as "{user}", which is root',
    },
  },
  check(dockerfile) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const user = finalUser(dockerfile);
    if (!user) {
      const root = chainRoot(dockerfile, stage);
      const image = root.image;
      const reference = image.toLowerCase() === 'scratch' ? 'scratch' : root.imageUnset.length > 0 ? undefined : parseImageReference(image);
      const known = reference ? baseImageUser(reference) : undefined;
      if (known && !known.root) return [];
      if (known) return [{ messageId: 'noUser', data: { image: stage.image, base: image, source: known.source }, instruction: stage.from }];
      return [{ messageId: 'unknownBase', data: { image: stage.image, base: image || '(an unset build argument)' }, instruction: stage.from, severity: 'medium' }];
    }
    if (!user.root) return [];
    const instruction = [...stage.instructions].reverse().find((s) => s.instruction.keyword === 'USER')?.instruction;
    return [{ messageId: 'rootUser', data: { user: user.user }, instruction: instruction ?? stage.from, ...(instruction ? { argsIndex: instruction.restStart } : {}) }];
  },
};
