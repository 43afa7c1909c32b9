import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { ACCELERATOR_RESOURCES, nodeAgentOfImage } from '../../knowledge/index.js';
import type { CheckReport, ContainerView, PodCheck } from '../types.js';
import { isPlainObject } from '../../core/object.js';

const Params = z.strictObject({
  /** Extended resources that are accelerators. */
  gpuResources: z.array(z.string().min(1)).default([...ACCELERATOR_RESOURCES]),
});

/** Env vars through which the NVIDIA container runtime hands out devices, bypassing the scheduler. */
const DEVICE_ENV = ['NVIDIA_VISIBLE_DEVICES', 'CUDA_VISIBLE_DEVICES'];

export const gpuAccessUncontrolled: PodCheck<z.infer<typeof Params>> = {
  scope: 'pod',
  meta: {
    id: 'GPU_ACCESS_UNCONTROLLED',
    family: 'audit',
    severity: 'high',
    title: 'GPU access bypasses the device plugin',
    description:
      'Accelerators must be requested through the device plugin (`resources.limits`) so the scheduler accounts for them and the container sees only its own devices. `NVIDIA_VISIBLE_DEVICES=all` makes the NVIDIA runtime expose every GPU on the node to the container (other tenants\' memory included), a GPU request without a limit is not how extended resources work, and running privileged to reach `/dev/nvidia*` gives the container the whole node. The node agents that grant accelerators (the NVIDIA device plugin, driver, container toolkit, GPU feature discovery, DCGM exporter, MIG manager and operator validator; the AMD, Intel and Neuron device plugins) do this by design and are not reported: they are recognised by image repository, mirrors included (knowledge/nodeAgents.ts); a pod with any container of theirs is one of them.',
    remediation: 'Request GPUs with resources.limits (e.g. nvidia.com/gpu: 1), remove NVIDIA_VISIBLE_DEVICES=all and privileged: true.',
    frameworks: { 'nist-800-53': ['AC-6', 'SC-6'], 'mitre-atlas': ['AML.T0034'], cis: ['5.2.2'] },
    params: Params,
    defaultParams: { gpuResources: [...ACCELERATOR_RESOURCES] },
    messages: {
      requestWithoutLimit: 'container "{container}" requests {resource} without a limit',
      visibleDevicesAll: 'container "{container}" sets {env}=all, exposing every GPU of the node',
      privileged: 'container "{container}" runs privileged to reach the GPU instead of requesting it from the device plugin',
    },
    overlapsPss: ['privileged'],
  },
  create({ gpuResources }) {
    const looksLikeGpu = (c: ContainerView, limits: Record<string, unknown> | undefined): boolean =>
      gpuResources.some((r) => limits?.[r] !== undefined) || c.env.some((e) => /^(NVIDIA_|CUDA_)/.test(e.name)) || /gpu|cuda/i.test(String(c.ref.object.image ?? ''));
    return (context) => {
      // The device plugin and its kin are what grants GPUs: any container of theirs makes the pod one.
      const agent = context.containers.some((c) => typeof c.ref.object.image === 'string' && nodeAgentOfImage(c.ref.object.image) !== undefined);
      if (agent) return [];
      return context.containers.flatMap((c) => {
        const out: CheckReport[] = [];
        const resources = isPlainObject(c.ref.object.resources) ? c.ref.object.resources : {};
        const requests = isPlainObject(resources.requests) ? resources.requests : undefined;
        const limits = isPlainObject(resources.limits) ? (resources.limits as Record<string, unknown>) : undefined;
        for (const resource of gpuResources) {
          if (requests?.[resource] !== undefined && limits?.[resource] === undefined) out.push({ messageId: 'requestWithoutLimit', data: { container: c.ref.name, resource }, path: joinPointer(c.ref.path, 'resources', 'requests', resource) });
        }
        for (const entry of c.env) {
          if (DEVICE_ENV.includes(entry.name) && entry.value?.trim().toLowerCase() === 'all') out.push({ messageId: 'visibleDevicesAll', data: { container: c.ref.name, env: entry.name }, path: entry.path });
        }
        const privileged = c.securityContext.get('privileged');
        if (privileged?.value === true && looksLikeGpu(c, limits)) out.push({ messageId: 'privileged', data: { container: c.ref.name }, path: privileged.path });
        return out;
      });
    };
  },
};
