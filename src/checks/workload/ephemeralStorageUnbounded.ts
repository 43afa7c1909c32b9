import { z } from 'zod';
import { containerResources, missingQuantityPath, quantitySet } from '../resources.js';
import type { PodCheck } from '../types.js';

export const ephemeralStorageUnbounded: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'EPHEMERAL_STORAGE_UNBOUNDED',
    family: 'audit',
    severity: 'low',
    title: 'Container has no ephemeral-storage limit',
    description:
      "A container's writable layer, its logs and the pod's emptyDir volumes live on the node's disk. Model servers and their init containers download weights (tens of gigabytes for an LLM) and fill caches there: without an `ephemeral-storage` limit one pod fills the disk, the node reports DiskPressure and the kubelet evicts its neighbours; with a limit the kubelet evicts that pod alone (Kubernetes docs, \"Local ephemeral storage\"). A request without a limit bounds nothing (it only places the pod); a limit without a request is fine, since the request defaults to the limit. A pod-level `spec.resources` (Kubernetes 1.32+ PodLevelResources) takes only cpu, memory and hugepages, never ephemeral-storage, so it does not count. Init containers are judged, ephemeral containers are not. After the Gatekeeper library's `k8scontainerephemeralstoragelimit` and kube-score's optional ephemeral-storage test.",
    remediation: 'Set resources.limits.ephemeral-storage (and a request for scheduling) on every container, sized for the models it downloads and caches; put large model caches on a PVC instead.',
    frameworks: { 'nist-800-53': ['SC-6'], 'mitre-atlas': ['AML.T0029'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      missing: 'container "{container}" has no ephemeral-storage limit: what it writes (downloaded models, caches, logs, emptyDir) can fill the node\'s disk',
      requestOnly: 'container "{container}" requests ephemeral-storage but sets no limit: what it writes (downloaded models, caches, logs, emptyDir) can fill the node\'s disk',
    },
  },
  create() {
    return (context) =>
      context.containers
        .filter((c) => c.ref.kind !== 'ephemeralContainer')
        .flatMap((c) => {
          const declared = containerResources(c.ref.object);
          if (quantitySet(declared.limits, 'ephemeral-storage')) return [];
          const path = missingQuantityPath(c.ref.path, declared, 'limits');
          return [{ messageId: quantitySet(declared.requests, 'ephemeral-storage') ? 'requestOnly' : 'missing', data: { container: c.ref.name }, path }];
        });
  },
};
