import { z } from 'zod';
import { isObject } from '../context.js';
import type { ClusterCheck, InventoryObject } from '../types.js';
import { inNamespace, workloadNamespaces } from './namespaces.js';

/** A policy that selects every pod and allows no ingress: `podSelector: {}`, Ingress in policyTypes, no ingress rules. */
export function isDefaultDenyIngress(policy: InventoryObject): boolean {
  const spec = isObject(policy.object.spec) ? policy.object.spec : undefined;
  if (!spec) return false;
  const selector = spec.podSelector;
  const selectsAll = isObject(selector) && Object.values(selector).every((v) => v === null || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0));
  const types = Array.isArray(spec.policyTypes) ? spec.policyTypes.map(String) : ['Ingress'];
  const rules = Array.isArray(spec.ingress) ? spec.ingress : [];
  return selectsAll && types.includes('Ingress') && rules.length === 0;
}

export const namespaceWithoutDefaultDeny: ClusterCheck<Record<string, never>> = {
  scope: 'cluster',
  meta: {
    id: 'NAMESPACE_WITHOUT_DEFAULT_DENY',
    family: 'audit',
    severity: 'medium',
    title: 'Namespace runs workloads without a default-deny NetworkPolicy',
    description:
      'Kubernetes lets every pod reach every other pod unless a NetworkPolicy selects it. A namespace of model servers without a default-deny ingress policy leaves each admin port (Ray GCS and dashboard, TorchServe management, Jupyter) reachable from any compromised pod in the cluster. Judged from the input: a namespace that receives workloads here but whose default-deny policy is applied from elsewhere is reported too, so include your policies in the audit.',
    remediation: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] to the namespace, then allow only the flows the stack needs (palisade netpol generate writes them).',
    frameworks: { 'nist-800-53': ['SC-7', 'AC-4'], cis: ['5.3.2'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { noDefaultDeny: 'namespace "{namespace}" runs {count} workload(s) but no NetworkPolicy in the input denies ingress by default' },
  },
  create() {
    return (inventory) =>
      workloadNamespaces(inventory)
        .filter((ns) => !inNamespace(inventory.networkPolicies, ns.name).some(isDefaultDenyIngress))
        .map((ns) => ({ target: ns.target, messageId: 'noDefaultDeny', data: { namespace: ns.label, count: ns.workloads }, path: ns.path }));
  },
};
