import { z } from 'zod';
import { modelServer } from '../../knowledge/index.js';
import { adminApi, ingressBackends, PUBLIC_SERVICE_TYPES, publiclyReached, reachedByBackend } from '../exposure.js';
import type { ClusterCheck, ClusterReport } from '../types.js';

export const exposedAdminPort: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'EXPOSED_ADMIN_PORT',
    family: 'audit',
    severity: 'critical',
    title: 'Admin or code-execution port published outside the cluster',
    description:
      'Ports that control a server, not just query it, are published through a LoadBalancer or NodePort Service, an Ingress, or a Service the operator creates (KubeRay `headGroupSpec.serviceType`). The ports come from the model-server table: the Ray dashboard/job API (8265), GCS (6379) and client (10001), the TorchServe management (8081) and metrics (8082) APIs, Jupyter (8888), code-server, the MLflow tracking server (5000). Each of them has a history of unauthenticated remote code execution (ShadowRay, ShellTorch, open notebooks).',
    remediation: 'Make the Service ClusterIP (and reach the port with kubectl port-forward), remove the Ingress rule for it, and restrict it to the pods that need it with a NetworkPolicy.',
    frameworks: { 'nist-800-53': ['SC-7', 'AC-3'], 'mitre-atlas': ['AML.T0049'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      service: '{type} Service "{service}" publishes the {server} {api} (port {port}) of {workload}',
      ingress: 'Ingress "{ingress}" routes to the {server} {api} (port {port}) of {workload}',
      operatorService: '{workload} asks the operator for a {type} head Service, publishing the {server} {api} (ports {ports})',
    },
  },
  create() {
    return (inventory) => {
      const out: ClusterReport[] = [];
      for (const { service, type, path, reached, workload } of publiclyReached(inventory)) {
        const api = adminApi(reached.server, reached.port);
        if (api) out.push({ target: service, messageId: 'service', data: { type, service: service.ref.name, server: reached.server.name, api, port: reached.port, workload }, path });
      }
      for (const ingress of inventory.ingresses) {
        for (const backend of ingressBackends(ingress)) {
          for (const reached of reachedByBackend(ingress, backend, inventory)) {
            const api = adminApi(reached.server, reached.port);
            if (api) out.push({ target: ingress, messageId: 'ingress', data: { ingress: ingress.ref.name, server: reached.server.name, api, port: reached.port, workload: `${reached.workload.ref.kind} "${reached.workload.ref.name}"` }, path: backend.path });
          }
        }
      }
      for (const workload of inventory.workloads) {
        if (!workload.ownService || !PUBLIC_SERVICE_TYPES.has(workload.ownService.type)) continue;
        const server = workload.containers.map((c) => (c.server ? modelServer(c.server) : undefined)).find((s) => s && s.adminPorts.length > 0);
        if (!server) continue;
        out.push({
          target: workload,
          messageId: 'operatorService',
          data: { workload: `${workload.ref.kind} "${workload.ref.name}"`, type: workload.ownService.type, server: server.name, api: server.adminPorts.map((p) => p.api).join(', '), ports: server.adminPorts.map((p) => p.port).join(', ') },
          path: workload.ownService.path,
        });
      }
      return out;
    };
  },
};
