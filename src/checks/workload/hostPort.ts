import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import { isObject } from '../context.js';
import type { PodCheck } from '../types.js';

export const hostPort: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'HOST_PORT',
    family: 'audit',
    severity: 'medium',
    title: 'Container binds a port on the node',
    description:
      'A hostPort publishes the container on every address of its node, around Services, NetworkPolicies (with many CNIs) and load balancers, and limits scheduling to one such pod per node. Reported for every pod spec even where the namespace admits privileged pods; when Pod Security Standards already flag the same port, only the PSS finding is shown.',
    remediation: 'Remove hostPort and expose the container through a Service.',
    frameworks: { 'nist-800-53': ['SC-7', 'CM-7'], cis: ['5.2.13'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { hostPort: 'container "{container}" binds host port {port}' },
    overlapsPss: ['hostPorts'],
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const ports = Array.isArray(c.ref.object.ports) ? c.ref.object.ports : [];
        return ports.flatMap((port, i) => {
          if (!isObject(port) || port.hostPort === undefined || port.hostPort === null || port.hostPort === 0) return [];
          return [{ messageId: 'hostPort', data: { container: c.ref.name, port: String(port.hostPort) }, path: joinPointer(c.ref.path, 'ports', i, 'hostPort') }];
        });
      });
  },
};
