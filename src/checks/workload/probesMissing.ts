import { z } from 'zod';
import type { PodCheck } from '../types.js';

const Params = z.strictObject({
  /** Kinds whose pods serve until stopped; batch kinds (Job, training jobs) need no probes. */
  longRunningKinds: z.array(z.string().min(1)).default(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'ServingRuntime', 'ClusterServingRuntime']),
});

export const probesMissing: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'PROBES_MISSING',
    family: 'audit',
    severity: 'low',
    title: 'Serving container has no readiness or liveness probe',
    description:
      'Without a readiness probe a model server receives traffic while it is still loading weights (minutes for an LLM) and clients see errors; without a liveness probe a wedged server is never restarted. Judged for regular containers that run a recognised model server, and for containers that declare ports in long-running kinds (Deployments, StatefulSets…). Jobs and training workloads are not judged.',
    remediation: 'Add a readinessProbe on the health endpoint (e.g. /v1/models/<name> or /health) and a livenessProbe with a generous initialDelaySeconds or a startupProbe.',
    frameworks: { 'nist-800-53': ['SC-5', 'SI-17'] },
    params: Params,
    defaultParams: { longRunningKinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Rollout', 'ServingRuntime', 'ClusterServingRuntime'] },
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
      return context.containers
        .filter((c) => c.ref.kind === 'container')
        .filter((c) => (c.server && (c.server.role === 'inference' || c.server.role === 'llm')) || (Array.isArray(c.ref.object.ports) && c.ref.object.ports.length > 0))
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
