import { z } from 'zod';
import type { ClusterCheck } from '../types.js';
import { inNamespace, workloadNamespaces } from './namespaces.js';

export const gpuNamespaceWithoutQuota: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'GPU_NAMESPACE_WITHOUT_QUOTA',
    family: 'audit',
    severity: 'low',
    title: 'Namespace requests GPUs without a ResourceQuota or LimitRange',
    description:
      'Accelerators are the most expensive thing in the cluster. A namespace whose workloads request GPUs (or TPUs, Neuron cores) without a ResourceQuota or LimitRange lets one team, or one compromised job, take every GPU (cost harvesting, denial of service for the rest). Judged from the input: quotas applied from elsewhere are not seen.',
    remediation: 'Add a ResourceQuota capping requests.nvidia.com/gpu (and cpu/memory) for the namespace, and a LimitRange with default limits.',
    frameworks: { 'nist-800-53': ['SC-6'], 'mitre-atlas': ['AML.T0034', 'AML.T0029'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { noQuota: 'namespace "{namespace}" requests accelerators but the input has no ResourceQuota or LimitRange for it' },
  },
  create() {
    return (inventory) =>
      workloadNamespaces(inventory)
        .filter((ns) => ns.gpu && inNamespace(inventory.quotas, ns.name).length === 0)
        .map((ns) => ({ target: ns.target, messageId: 'noQuota', data: { namespace: ns.label }, path: ns.path }));
  },
};
