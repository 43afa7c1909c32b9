/**
 * Namespaces where admin-equivalent service-account tokens live: namespace-wide power there is
 * cluster takeover (research/rbac.md R02; rbac-police `lib/utils/common.rego` privileged_ns;
 * the ML operators' install namespaces from their upstream kustomize/Helm defaults).
 */
export const PRIVILEGED_NAMESPACES: ReadonlySet<string> = new Set([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  // ML platforms and their dependencies
  'kserve',
  'kubeflow',
  'kubeflow-system',
  'ray-system',
  'kuberay-system',
  'knative-serving',
  'istio-system',
  'gpu-operator',
  'nvidia-gpu-operator',
  'cert-manager',
  'kaito-system',
  'seldon-system',
  'mpi-operator',
]);

export const isPrivilegedNamespace = (namespace: string | undefined): boolean => namespace !== undefined && PRIVILEGED_NAMESPACES.has(namespace);

/** Broad groups: binding one of these grants every user, every pod, or the anonymous caller. */
export const BROAD_GROUPS: ReadonlySet<string> = new Set(['system:authenticated', 'system:unauthenticated', 'system:serviceaccounts']);
export const ANONYMOUS = { user: 'system:anonymous', group: 'system:unauthenticated' } as const;
export const MASTERS_GROUP = 'system:masters';

/** `system:serviceaccounts:<ns>`: every service account (every pod) of a namespace. */
export function isBroadGroup(name: string): boolean {
  return BROAD_GROUPS.has(name) || name.startsWith('system:serviceaccounts:');
}
