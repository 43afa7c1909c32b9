import { finalStage } from '../model.js';
import type { DockerfileRule } from '../rule.js';

/** A server image (it EXPOSEs a port) without HEALTHCHECK: nothing notices a wedged model server. */
export const noHealthcheck: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_NO_HEALTHCHECK',
    family: 'dockerfile',
    severity: 'info',
    title: 'Server image without HEALTHCHECK',
    description: 'The final stage exposes a port but declares no HEALTHCHECK; outside Kubernetes nothing restarts a hung server (in Kubernetes, set probes).',
    remediation: 'Add HEALTHCHECK CMD curl -f http://localhost:<port>/health || exit 1, and readiness/liveness probes in the pod.',
    frameworks: { 'nist-800-53': ['SI-6'], cis: ['4.6'] },
    messages: { missing: 'the final stage exposes ports but has no HEALTHCHECK' },
  },
  check(dockerfile) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const keywords = stage.instructions.map((s) => s.instruction.keyword);
    if (!keywords.includes('EXPOSE') || keywords.includes('HEALTHCHECK')) return [];
    return [{ messageId: 'missing', instruction: stage.from }];
  },
};
