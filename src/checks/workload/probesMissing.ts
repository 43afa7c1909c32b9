import { z } from 'zod';
import { detectServer } from '../../knowledge/index.js';
import type { ContainerView, PodCheck } from '../types.js';

const LONG_RUNNING_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'ServingRuntime', 'ClusterServingRuntime'];

const Params = z.strictObject({
  /**
   * Kinds whose pods serve until stopped; batch kinds (Job, training jobs) need no probes. A bare
   * Pod is judged only while its restartPolicy is Always (the default): with Never or OnFailure it
   * runs to completion like a Job's pod.
   */
  longRunningKinds: z.array(z.string().min(1)).default(LONG_RUNNING_KINDS),
});

/**
 * A container that serves: one that runs a server of the knowledge table (recognised by image or
 * command line, whether or not it declares a port: a server listens on its default port without
 * one), or one that declares ports. A written `command` replaces the image's entrypoint, so a
 * server image whose command line runs no server of the table (`rayproject/ray` running a shell
 * loop as a client pod) is not one.
 */
function serves(c: ContainerView): boolean {
  if (Array.isArray(c.ref.object.ports) && c.ref.object.ports.length > 0) return true;
  if (c.server === undefined) return false;
  const command = c.ref.object.command;
  // An empty command list leaves the image's entrypoint in place, like no command.
  return !Array.isArray(command) || command.length === 0 || detectServer(undefined, c.commandLine.join(' ')) !== undefined;
}

/**
 * Regular containers and sidecars: an init container with `restartPolicy: Always` keeps running next
 * to the app and takes probes like it (Kubernetes docs, "Sidecar Containers"); other init containers
 * must exit and cannot have liveness or readiness probes.
 */
function probed(c: ContainerView): boolean {
  return c.ref.kind === 'container' || (c.ref.kind === 'initContainer' && c.ref.object.restartPolicy === 'Always');
}

export const probesMissing: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'PROBES_MISSING',
    family: 'audit',
    severity: 'low',
    title: 'Serving container has no readiness or liveness probe',
    description:
      'Without a readiness probe a model server receives traffic while it is still loading weights (minutes for an LLM) and clients see errors; without a liveness probe a wedged server is never restarted. Judged for containers (and sidecars: init containers with restartPolicy Always) that run a server of the model-server table, recognised by image or command line whether or not they declare a port, and for containers that declare ports, in long-running kinds (Deployments, StatefulSets…, and bare Pods whose restartPolicy is Always, the default). Jobs, training workloads and Pods that run to completion (restartPolicy Never or OnFailure) are not judged.',
    remediation: 'Add a readinessProbe on the health endpoint (e.g. /v1/models/<name> or /health) and a livenessProbe with a generous initialDelaySeconds or a startupProbe.',
    frameworks: { 'nist-800-53': ['SC-5', 'SI-17'] },
    params: Params,
    defaultParams: { longRunningKinds: LONG_RUNNING_KINDS },
    messages: {
      missingBoth: 'container "{container}" serves traffic but has neither a readinessProbe nor a livenessProbe',
      missingReadiness: 'container "{container}" serves traffic but has no readinessProbe',
      missingLiveness: 'container "{container}" serves traffic but has no livenessProbe',
    },
  },
  create({ longRunningKinds }) {
    const longRunning = new Set(longRunningKinds);
    return (context) => {
      if (!longRunning.has(context.resource.ref.kind)) return [];
      // The API server defaults restartPolicy to Always; only that value keeps a pod serving.
      const restartPolicy = context.pod.spec.restartPolicy;
      if (typeof restartPolicy === 'string' && restartPolicy !== 'Always') return [];
      return context.containers
        .filter((c) => probed(c) && serves(c))
        .flatMap((c) => {
          const readiness = c.ref.object.readinessProbe !== undefined;
          const liveness = c.ref.object.livenessProbe !== undefined;
          if (readiness && liveness) return [];
          const messageId = !readiness && !liveness ? 'missingBoth' : !readiness ? 'missingReadiness' : 'missingLiveness';
          return [{ messageId, data: { container: c.ref.name }, path: c.ref.path }];
        });
    };
  },
};
