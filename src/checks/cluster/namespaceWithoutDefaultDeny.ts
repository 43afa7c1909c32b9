import { z } from 'zod';
import type { ClusterCheck, InventoryObject } from '../types.js';
import { inNamespace, workloadNamespaces } from './namespaces.js';
import { isPlainObject } from '../../core/object.js';

/** A policy that selects every pod and allows no ingress: `podSelector: {}`, Ingress in policyTypes, no ingress rules. */
export function isDefaultDenyIngress(policy: InventoryObject): boolean {
  const spec = isPlainObject(policy.object.spec) ? policy.object.spec : undefined;
  if (!spec) return false;
  const selector = spec.podSelector;
  const selectsAll = isPlainObject(selector) && Object.values(selector).every((v) => v === null || (Array.isArray(v) ? v.length === 0 : isPlainObject(v) && Object.keys(v).length === 0));
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
      'Kubernetes lets every pod reach every other pod unless a NetworkPolicy selects it. A namespace of model servers without a default-deny ingress policy leaves each admin port (Ray GCS and dashboard, TorchServe management, Jupyter) reachable from any compromised pod in the cluster. Pods that KubeRay isolates itself (a RayCluster, RayService or RayJob cluster with `spec.networkPolicy` in mode DenyAll, the default, or DenyAllIngress: the operator then creates deny-by-default policies for the head and each worker group) are not counted. Judged from the input: a namespace that receives workloads here but whose default-deny policy is applied from elsewhere is reported too, so include your policies in the audit.',
    remediation: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] to the namespace, then allow only the flows the stack needs (palisade netpol generate writes them).',
    frameworks: { 'nist-800-53': ['SC-7', 'AC-4'], cis: ['5.3.2'] },
    params: z.strictObject({}),
    defaultParams: {},
    messages: { noDefaultDeny: 'namespace "{namespace}" runs {count} workload(s) but no NetworkPolicy in the input denies ingress by default' },
  },
  create() {
    return (inventory) =>
      // Pods their operator isolates (KubeRay spec.networkPolicy denying ingress) do not need the namespace's default deny.
      workloadNamespaces({ ...inventory, workloads: inventory.workloads.filter((w) => !w.operatorIsolation?.ingress) })
        .filter((ns) => !inNamespace(inventory.networkPolicies, ns.name).some(isDefaultDenyIngress))
        .map((ns) => ({ target: ns.target, messageId: 'noDefaultDeny', data: { namespace: ns.label, count: ns.workloads }, path: ns.path }));
  },
};
