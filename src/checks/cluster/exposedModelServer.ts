import { z } from 'zod';
import { publiclyReached } from '../exposure.js';
import type { ClusterCheck, ClusterReport } from '../types.js';

export const exposedModelServer: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'EXPOSED_MODEL_SERVER',
    family: 'audit',
    severity: 'high',
    title: 'Model server published directly through a LoadBalancer or NodePort',
    description:
      'A LoadBalancer or NodePort Service sends traffic from outside the cluster straight to a model server\'s inference port, bypassing the gateway where authentication, rate limits and TLS live. Model servers have no authentication of their own (or an optional one, see LLM_API_WITHOUT_KEY), so anyone who finds the address can query, extract or overload the model. Ports that administer the server are reported by EXPOSED_ADMIN_PORT instead.',
    remediation: 'Make the Service ClusterIP and publish the model through an authenticating gateway or an Ingress with TLS and authentication.',
    frameworks: { 'nist-800-53': ['SC-7', 'AC-3'], 'mitre-atlas': ['AML.T0040', 'AML.T0049'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { published: '{type} Service "{service}" publishes the {server} inference port {port} of {workload}' },
  },
  create() {
    return (inventory) => {
      const out: ClusterReport[] = [];
      for (const { service, type, path, reached, workload } of publiclyReached(inventory)) {
        if (!reached.server.servingPorts.includes(reached.port)) continue;
        out.push({ target: service, messageId: 'published', data: { type, service: service.ref.name, server: reached.server.name, port: reached.port, workload }, path });
      }
      return out;
    };
  },
};
