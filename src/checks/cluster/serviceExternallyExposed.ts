import { z } from 'zod';
import { adminApi, describeWorkloads, PUBLIC_SERVICE_TYPES, publiclyReached, servicePorts, serviceType, workloadsSelectedBy } from '../exposure.js';
import type { ClusterCheck, ClusterReport } from '../types.js';

export const serviceExternallyExposed: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'SERVICE_EXTERNALLY_EXPOSED',
    family: 'audit',
    severity: 'medium',
    title: 'Service publishes a workload outside the cluster (NodePort or LoadBalancer)',
    description:
      'A NodePort Service opens its port on every node and a LoadBalancer Service gives it an address outside the cluster, whatever runs behind it: Redis, a feature store, a vector database, the KubeRay API server. NetworkPolicies do not filter traffic that arrives on a node port from outside, and neither type brings authentication or TLS. Judged for every Service of these types, whether or not its selector matches a workload in the input. A Service that publishes a model server\'s inference or admin port is reported by EXPOSED_MODEL_SERVER or EXPOSED_ADMIN_PORT instead (one finding per Service).',
    remediation: 'Make the Service ClusterIP and publish the workload through an Ingress or gateway with TLS and authentication; if it must stay a LoadBalancer, make it internal and set loadBalancerSourceRanges.',
    frameworks: { 'nist-800-53': ['SC-7', 'AC-3'], 'mitre-attack': ['T1133'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      workloads: '{type} Service "{service}" publishes {workloads} outside the cluster (ports {ports})',
      noWorkload: '{type} Service "{service}" publishes ports {ports} outside the cluster (no workload in the input matches its selector)',
    },
  },
  create() {
    return (inventory) => {
      // Services the model-server checks report already: a served or admin port of a known server.
      const reported = new Set(publiclyReached(inventory).filter(({ reached }) => reached.server.servingPorts.includes(reached.port) || adminApi(reached.server, reached.port) !== undefined).map(({ service }) => service));
      const out: ClusterReport[] = [];
      for (const service of inventory.services) {
        const type = serviceType(service);
        if (!PUBLIC_SERVICE_TYPES.has(type) || reported.has(service)) continue;
        const ports = servicePorts(service).map(({ entry }) => String(entry.port)).join(', ') || 'none';
        const workloads = describeWorkloads(workloadsSelectedBy(service, inventory));
        const data = { type, service: service.ref.name, ports };
        out.push(workloads ? { target: service, messageId: 'workloads', data: { ...data, workloads }, path: '/spec/type' } : { target: service, messageId: 'noWorkload', data, path: '/spec/type' });
      }
      return out;
    };
  },
};
