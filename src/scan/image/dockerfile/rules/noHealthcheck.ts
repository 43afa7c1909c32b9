import { detectServer } from '../../../../knowledge/index.js';
import { finalStage, judgedInstructions, type Stage } from '../model.js';
import type { DockerfileRule } from '../rule.js';

/**
 * A server image without HEALTHCHECK: nothing notices a wedged model server. A server is an image
 * that EXPOSEs a port, or whose command or base is a known server (src/knowledge/modelServers.ts):
 * a server listens whether or not the Dockerfile declares the port. EXPOSE, CMD, ENTRYPOINT and
 * HEALTHCHECK are image config, so the shipped FROM chain counts; `HEALTHCHECK NONE` turns it off.
 */
export const noHealthcheck: DockerfileRule = {
  meta: {
    id: 'DOCKERFILE_NO_HEALTHCHECK',
    family: 'dockerfile',
    severity: 'info',
    title: 'Server image without HEALTHCHECK',
    description:
      'The image runs a server (it exposes a port, or its command or base image is a known model server) but declares no HEALTHCHECK; outside Kubernetes nothing restarts a hung server (in Kubernetes, set probes).',
    remediation: 'Add HEALTHCHECK CMD curl -f http://localhost:<port>/health || exit 1, and readiness/liveness probes in the pod.',
    frameworks: { 'nist-800-53': ['SI-6'], cis: ['4.6'] },
    messages: {
      missing: 'the final stage exposes ports but has no HEALTHCHECK',
      server: 'the image runs {server} but has no HEALTHCHECK',
    },
  },
  check(dockerfile) {
    const stage = finalStage(dockerfile);
    if (!stage) return [];
    const config = judgedInstructions(dockerfile, 'shipped').filter((s) => !s.onbuild);
    const last = (keyword: string) => config.filter((s) => s.instruction.keyword === keyword).pop()?.instruction;
    const healthcheck = last('HEALTHCHECK');
    if (healthcheck && !/^NONE\b/i.test(healthcheck.rest.trim())) return [];
    if (config.some((s) => s.instruction.keyword === 'EXPOSE')) return [{ messageId: 'missing', instruction: stage.from }];
    const commandOf = (instruction: typeof healthcheck): string => (instruction ? (instruction.json ? instruction.json.join(' ') : instruction.rest) : '');
    const commandLine = [commandOf(last('ENTRYPOINT')), commandOf(last('CMD'))].filter((s) => s !== '').join(' ');
    let root: Stage = stage;
    while (root.baseStage !== undefined && dockerfile.shipped.has(root.baseStage) && root.baseStage !== root.index) root = dockerfile.stages[root.baseStage] as Stage;
    const server = detectServer(root.image || undefined, commandLine);
    return server ? [{ messageId: 'server', data: { server: server.name }, instruction: stage.from }] : [];
  },
};
