import { z } from 'zod';
import { containerResources, missingQuantityPath, podRequests, podResources, quantitySet } from '../resources.js';
import type { PodCheck } from '../types.js';

const Params = z.strictObject({
  /** Which requests every container must have. */
  resources: z.array(z.enum(['cpu', 'memory'])).min(1).default(['cpu', 'memory']),
});

export const resourceRequestsMissing: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'RESOURCE_REQUESTS_MISSING',
    family: 'audit',
    severity: 'low',
    title: 'Container has no CPU or memory request',
    description:
      'The scheduler places a pod by its requests: a container with no CPU or memory request counts as needing none, lands on a node that is already full (a model server that then loads gigabytes of weights) and is the first evicted under memory pressure (BestEffort quality of service). A limit without a request is not reported: Kubernetes then uses the limit as the request (Kubernetes docs, "Resource Management for Pods and Containers"); nor is a container of a pod that sets a pod-level request or limit (`spec.resources`, Kubernetes 1.32+ PodLevelResources): the scheduler places the pod by the pod-level request, which defaults to the pod-level limit. Init containers are judged (they run model downloads); ephemeral containers are not. After kube-linter `unset-cpu-requirements` and `unset-memory-requirements`.',
    remediation: 'Set resources.requests.cpu and resources.requests.memory on every container to what it needs at steady state (a model server: the memory its weights take once loaded).',
    frameworks: { 'nist-800-53': ['SC-6'] },
    params: Params,
    defaultParams: { resources: ['cpu', 'memory'] },
    messages: { missing: 'container "{container}" has no {missing} request (and no limit the request would default to)' },
  },
  create({ resources }) {
    return (context) => {
      const pod = podResources(context.spec);
      return context.containers
        .filter((c) => c.ref.kind !== 'ephemeralContainer')
        .flatMap((c) => {
          const declared = containerResources(c.ref.object);
          // A limit without a request makes the request equal to the limit.
          const missing = resources.filter((r) => !quantitySet(declared.requests, r) && !quantitySet(declared.limits, r) && !podRequests(pod, r));
          if (missing.length === 0) return [];
          const path = missingQuantityPath(c.ref.path, declared, 'requests');
          return [{ messageId: 'missing', data: { container: c.ref.name, missing: missing.join(' and ') }, path }];
        });
    };
  },
};
