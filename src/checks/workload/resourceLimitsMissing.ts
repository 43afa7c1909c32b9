import { z } from 'zod';
import { containerResources, missingQuantityPath, podLimits, podResources, quantitySet } from '../resources.js';
import type { PodCheck } from '../types.js';

const Params = z.strictObject({
  /** Which limits every container must set. Some teams drop cpu (throttling); memory protects the node. */
  resources: z.array(z.enum(['cpu', 'memory'])).min(1).default(['cpu', 'memory']),
});

export const resourceLimitsMissing: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'RESOURCE_LIMITS_MISSING',
    family: 'audit',
    severity: 'medium',
    title: 'Container has no CPU or memory limit',
    description:
      'A model server without a memory limit can take the whole node when a large request or a model load balloons, evicting its neighbours; without a CPU limit one tenant starves the rest. KServe may inject default limits from its inferenceservice-config, but the manifest is what reviewers see. A pod-level limit (`spec.resources.limits`, Kubernetes 1.32+ PodLevelResources) caps every container that sets none, as the kubelet applies it, so it counts for each of them. Ephemeral containers are not judged.',
    remediation: 'Set resources.limits.cpu and resources.limits.memory on every container (and requests no higher than the limits).',
    frameworks: { 'nist-800-53': ['SC-6'], 'mitre-atlas': ['AML.T0029', 'AML.T0034'] },
    params: Params,
    defaultParams: { resources: ['cpu', 'memory'] },
    messages: { missing: 'container "{container}" has no {missing} limit' },
  },
  create({ resources }) {
    return (context) => {
      const pod = podResources(context.spec);
      return context.containers
        .filter((c) => c.ref.kind !== 'ephemeralContainer')
        .flatMap((c) => {
          const declared = containerResources(c.ref.object);
          const missing = resources.filter((r) => !quantitySet(declared.limits, r) && !podLimits(pod, r));
          if (missing.length === 0) return [];
          const path = missingQuantityPath(c.ref.path, declared, 'limits');
          return [{ messageId: 'missing', data: { container: c.ref.name, missing: missing.join(' and ') }, path }];
        });
    };
  },
};
