/**
 * The API server's own RBAC objects (kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go,
 * `ClusterRoles()`; docs "Using RBAC Authorization", Default roles and role bindings). They exist in
 * every cluster without being in anyone's manifests, carry the label
 * `kubernetes.io/bootstrapping: rbac-defaults`, and the API server reconciles them at start.
 */
import type { PolicyRule } from '../types.js';

const rule = (r: Partial<PolicyRule> & Pick<PolicyRule, 'verbs'>): PolicyRule => ({ apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...r });

/**
 * Default ClusterRoles whose rules are fixed (not aggregated), so a binding that names one grants
 * these rules even when the input does not define the role. `cluster-admin`: `*` on every resource of
 * every group, and `*` on every non-resource URL. (admin, edit and view are aggregated from
 * `aggregate-to-*` roles and change between releases; they are not modelled.)
 */
export const BOOTSTRAP_CLUSTER_ROLES: Readonly<Record<string, readonly PolicyRule[]>> = {
  'cluster-admin': [rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }), rule({ verbs: ['*'], nonResourceURLs: ['*'] })],
};

/** User-facing default ClusterRoles (docs "User-facing roles"). */
const USER_FACING = new Set(['cluster-admin', 'admin', 'edit', 'view']);

/**
 * Name prefixes of roles the API server or a managed platform installs and owns: `system:` is
 * reserved for Kubernetes infrastructure (docs "Default roles and role bindings"); `gce:` roles come
 * with GKE's add-ons (kubernetes cluster/gce/addons, e.g. gce:podsecuritypolicy:calico-sa); `eks:`
 * roles with Amazon EKS (EKS user guide, "Default Amazon EKS created Kubernetes roles and users").
 */
const PLATFORM_PREFIXES = ['system:', 'gce:', 'eks:'];

/** A role name the API server or the managed platform owns: the user-facing defaults and the platform prefixes. */
export function isBuiltInRoleName(name: string): boolean {
  return USER_FACING.has(name) || PLATFORM_PREFIXES.some((p) => name.startsWith(p));
}
