import { z } from 'zod';
import type { ResourceCheck } from '../types.js';

/**
 * CIS Kubernetes Benchmark 5.1.5 ("Ensure that default service accounts are not actively used"):
 * the remediation is `automountServiceAccountToken: false` on each namespace's `default`
 * ServiceAccount. The field is a *bool on the ServiceAccount (core/v1 types.go): unset means the
 * token is mounted into every pod that names no other account and does not opt out itself.
 */
export const defaultServiceAccountAutomount: ResourceCheck<Record<string, never>> = {
  scope: 'resource',
  meta: {
    id: 'DEFAULT_SERVICE_ACCOUNT_AUTOMOUNT',
    family: 'audit',
    severity: 'low',
    title: 'The default ServiceAccount hands its token to every pod that names no other',
    description:
      'Every namespace has a `default` ServiceAccount, and every pod that names no other account runs as it. Unless the ServiceAccount object sets `automountServiceAccountToken: false`, its API token is mounted into each of those pods (a pod can still opt out with its own field), so the first workload someone deploys without thinking about identity carries a credential, and any permission granted to `default` reaches all of them. CIS 5.1.5 asks for the field on the object itself; a pod-level opt-out protects one pod, not the next one. Reported on the `default` ServiceAccount object when the input holds it (DEFAULT_SERVICE_ACCOUNT reports the pods that run as it).',
    remediation: 'Set automountServiceAccountToken: false on the default ServiceAccount of each namespace, give workloads that call the API their own ServiceAccount, and mount a projected token only where a pod needs one.',
    frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], cis: ['5.1.5'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: {
      unset: 'the default ServiceAccount{where} does not set automountServiceAccountToken: false, so every pod that names no other account gets its API token',
      enabled: 'the default ServiceAccount{where} sets automountServiceAccountToken: {value}, so every pod that names no other account gets its API token',
    },
  },
  create() {
    return ({ ref, object }) => {
      if (ref.apiVersion !== 'v1' || ref.kind !== 'ServiceAccount' || ref.name !== 'default') return [];
      const value = object.automountServiceAccountToken;
      if (value === false) return [];
      const where = ref.namespace === undefined ? '' : ` of namespace "${ref.namespace}"`;
      if (value === undefined || value === null) return [{ messageId: 'unset', data: { where }, path: '/automountServiceAccountToken' }];
      // A string "false" is not a bool: the API server refuses it rather than reading it as false.
      return [{ messageId: 'enabled', data: { where, value: JSON.stringify(value) }, path: '/automountServiceAccountToken' }];
    };
  },
};
