import { z } from 'zod';
import { joinPointer } from '../../core/pointer.js';
import type { CheckReport, PodCheck } from '../types.js';
import { isPlainObject } from '../../core/object.js';

/** SSH's well-known port (IANA service name registry: ssh, 22/tcp). */
export const SSH_PORT = 22;
/** Ports below this are "privileged" on Linux (bind needs CAP_NET_BIND_SERVICE unless ip_unprivileged_port_start says otherwise). */
export const FIRST_UNPRIVILEGED_PORT = 1024;

export const containerPortSensitive: PodCheck<Record<string, never>> = {
  scope: 'pod',
  meta: {
    id: 'CONTAINER_PORT_SENSITIVE',
    family: 'audit',
    severity: 'low',
    title: 'Container declares the SSH port or a privileged port',
    description:
      'A container that declares port 22 runs an SSH server: a second way in, with its own keys and passwords, that Kubernetes RBAC and audit logs do not see (kube-linter `ssh-port`); it is reported at medium. A port below 1024 is a privileged port on Linux: the image was built to bind it as root or with NET_BIND_SERVICE, which the restricted profile takes away (kube-linter `privileged-ports`); it is reported at low. One finding per declared port, and port 22 only as SSH.',
    remediation: 'Remove the SSH server and use kubectl exec (or an ephemeral debug container) instead; make the server listen on a port of 1024 or more and map the Service port to it (port: 80, targetPort: 8080).',
    frameworks: { 'nist-800-53': ['CM-7', 'AC-17'], 'mitre-attack': ['T1021.004'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      ssh: 'container "{container}" declares port {port}, the SSH port',
      privileged: 'container "{container}" declares privileged port {port} (below 1024)',
    },
  },
  create() {
    return (context) =>
      context.containers.flatMap((c) => {
        const ports = Array.isArray(c.ref.object.ports) ? c.ref.object.ports : [];
        return ports.flatMap((port, i): CheckReport[] => {
          if (!isPlainObject(port) || typeof port.containerPort !== 'number' || !Number.isInteger(port.containerPort)) return [];
          const number = port.containerPort;
          const path = joinPointer(c.ref.path, 'ports', i, 'containerPort');
          if (number === SSH_PORT) return [{ messageId: 'ssh', data: { container: c.ref.name, port: number }, path, severity: 'medium' }];
          if (number > 0 && number < FIRST_UNPRIVILEGED_PORT) return [{ messageId: 'privileged', data: { container: c.ref.name, port: number }, path }];
          return [];
        });
      });
  },
};
