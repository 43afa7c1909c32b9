import { finalUser, finalUserInstruction } from '../model.js';
import type { DockerfileRule } from '../rule.js';
import { expandWord } from '../words.js';

/**
 * `USER app`: the image config holds a name, and the kubelet can only check `runAsNonRoot` against a
 * numeric uid; with a name it refuses to start the container ("image has non-numeric user … cannot
 * verify user is non-root", kubelet kuberuntime_container_linux.go) unless the pod sets runAsUser.
 */
export const userNotNumeric: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_USER_NOT_NUMERIC',
    family: 'dockerfile',
    severity: 'low',
    title: 'Final USER is a name, not a numeric uid',
    description:
      'The image runs as a user given by name. Kubernetes cannot verify runAsNonRoot for a name: a pod with runAsNonRoot: true and no runAsUser fails to start, and the name could map to uid 0 in the image. hadolint DL3066 asks the same.',
    remediation: 'Use the numeric uid (and gid) in the final USER, e.g. USER 10001:10001.',
    frameworks: { 'nist-800-53': ['AC-6'], pss: ['restricted'] },
    messages: { name: 'the final USER "{user}" is a name; the kubelet cannot verify runAsNonRoot for it' },
  },
  check(dockerfile) {
    const user = finalUser(dockerfile);
    const scoped = finalUserInstruction(dockerfile);
    if (!user || !scoped || user.root || user.uid !== undefined || user.user === '') return [];
    // A value from a build argument with no default is decided at build time: nothing to judge here.
    if (expandWord(scoped.instruction.rest.trim(), scoped.variables, dockerfile.escape).unset.length > 0) return [];
    return [{ messageId: 'name', data: { user: user.user }, instruction: scoped.instruction, argsIndex: scoped.instruction.restStart }];
  },
};
