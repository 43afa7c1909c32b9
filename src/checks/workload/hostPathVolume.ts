import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../context.js';
import type { PodCheck } from '../types.js';

export const hostPathVolume: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'HOST_PATH_VOLUME',
    family: 'audit',
    severity: 'high',
    title: 'Pod mounts a hostPath volume',
    description:
      'A hostPath volume ties the pod to one node and gives it the node\'s files; ML examples use it for model stores and datasets, where a PersistentVolumeClaim or a CSI volume does the job. Reported for every pod spec even where the namespace admits privileged pods; when Pod Security Standards already flag the same volume, only the PSS finding is shown.',
    remediation: 'Replace the hostPath volume with a PersistentVolumeClaim, a CSI volume or an emptyDir filled by an init container.',
    frameworks: { 'nist-800-53': ['AC-6', 'SC-39'], cis: ['5.2.12'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { hostPath: 'volume "{volume}" mounts {hostPath} from the node' },
    overlapsPss: ['hostPathVolumes', 'restrictedVolumes'],
  },
  create() {
    return (context) =>
      [...context.volumes.entries()].flatMap(([name, { volume, path }]) => {
        if (!isObject(volume.hostPath)) return [];
        const hostPath = typeof volume.hostPath.path === 'string' ? volume.hostPath.path : '(no path)';
        return [{ messageId: 'hostPath', data: { volume: name, hostPath }, path: joinPointer(path, 'hostPath') }];
      });
  },
};
