import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../context.js';
import type { PodCheck } from '../types.js';

export const memoryEmptyDirUnbounded: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'MEMORY_EMPTYDIR_UNBOUNDED',
    family: 'audit',
    severity: 'medium',
    title: 'Memory-backed emptyDir has no sizeLimit',
    description:
      'Model servers mount a `medium: Memory` emptyDir at /dev/shm for tensor parallelism (vLLM, Triton\'s Python backend, Ray\'s object store). Its contents count as the container\'s memory, and without `sizeLimit` a runaway writer fills the node\'s RAM before the memory limit can be enforced cleanly.',
    remediation: 'Set emptyDir.sizeLimit on the memory-backed volume (for /dev/shm, typically a few GiB and no more than the memory limit).',
    frameworks: { 'nist-800-53': ['SC-6'], 'mitre-atlas': ['AML.T0029'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { unbounded: 'volume "{volume}" is a memory-backed emptyDir{mounted} without sizeLimit' },
  },
  create() {
    return (context) =>
      [...context.volumes.entries()].flatMap(([name, { volume, path }]) => {
        const emptyDir = volume.emptyDir;
        if (!isObject(emptyDir) || emptyDir.medium !== 'Memory' || (emptyDir.sizeLimit !== undefined && emptyDir.sizeLimit !== null)) return [];
        const mountPaths = new Set<string>();
        for (const c of context.containers) {
          const mounts = Array.isArray(c.ref.object.volumeMounts) ? c.ref.object.volumeMounts : [];
          for (const m of mounts) if (isObject(m) && m.name === name && typeof m.mountPath === 'string') mountPaths.add(m.mountPath);
        }
        const mounted = mountPaths.size > 0 ? ` mounted at ${[...mountPaths].join(', ')}` : '';
        return [{ messageId: 'unbounded', data: { volume: name, mounted }, path: joinPointer(path, 'emptyDir') }];
      });
  },
};
