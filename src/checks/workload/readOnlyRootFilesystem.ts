import { z } from 'zod';
import type { PodCheck } from '../types.js';

/** Containers must set readOnlyRootFilesystem; the message names the paths the model server must keep writable. */
export const readOnlyRootFilesystem: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'READ_ONLY_ROOT_FILESYSTEM',
    family: 'audit',
    severity: 'medium',
    title: 'Container root filesystem is writable',
    description:
      'A writable root filesystem lets an attacker who gets code execution in a model server drop tools, patch the server or tamper with cached models. Only the container-level `securityContext.readOnlyRootFilesystem` counts: Kubernetes has no pod-level field, and a pod-level entry is ignored (reported as such). For recognised model servers the message names the paths that must stay writable (emptyDir volumes), from the same table `palisade harden` uses.',
    remediation: 'Set securityContext.readOnlyRootFilesystem: true on the container and mount emptyDir volumes at the paths the server writes to.',
    frameworks: { 'nist-800-53': ['CM-7', 'SI-7'], cis: ['5.7.3'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      missing: 'container "{container}" does not set securityContext.readOnlyRootFilesystem: true{hint}',
      disabled: 'container "{container}" sets securityContext.readOnlyRootFilesystem: false{hint}',
      podLevelIgnored: 'readOnlyRootFilesystem is set on the pod securityContext, where Kubernetes ignores it; container "{container}" keeps a writable root filesystem{hint}',
    },
  },
  create() {
    return (context) =>
      context.containers
        .filter((c) => c.ref.kind !== 'ephemeralContainer')
        .flatMap((c) => {
          const hint = c.server && c.server.writablePaths.length > 0 ? `; ${c.server.name} needs ${c.server.writablePaths.join(', ')} writable` : '';
          const data = { container: c.ref.name, hint };
          const setting = c.securityContext.get('readOnlyRootFilesystem');
          if (setting?.value === true) return [];
          if (setting) return [{ messageId: 'disabled', data, path: setting.path }];
          const podLevel = c.securityContext.podLevelOnly('readOnlyRootFilesystem');
          if (podLevel?.value === true) return [{ messageId: 'podLevelIgnored', data, path: podLevel.path }];
          return [{ messageId: 'missing', data, path: c.securityContext.containerPath }];
        });
  },
};
