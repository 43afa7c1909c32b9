import { defineRbacRule, permissionHit, probe } from '../analysis.js';

const RBAC = 'rbac.authorization.k8s.io';

/**
 * R16. The API server lets a subject create a binding to a role it does not hold when it has
 * `bind` on that role (pkg/registry/rbac/validation, BindingAuthorized), checked in the namespace
 * of the binding being written: a namespaced Role granting bind on clusterroles is effective.
 */
export const bind = defineRbacRule({
  id: 'RBAC_BIND',
  severity: 'critical',
  title: 'Subject can bind roles it does not hold',
  description:
    'R16. bind on roles or clusterroles lets the subject create bindings to those roles (cluster-admin included, unless resourceNames narrow it) without holding their permissions. The API server checks bind in the namespace of the RoleBinding being written, so a Role that grants bind on clusterroles is effective: RoleBindings in its namespace to any ClusterRole. Critical when the subject can also create the bindings, high otherwise.',
  remediation: 'Remove bind, or narrow it with resourceNames to the roles the subject may hand out.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1098.006'], kubescape: ['C-0191'] },
  messages: { can: '{who} can bind {resources} {scope}{names} via {via}{create}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const grants = context.grantsOf(subject);
      const m = probe(grants, { verbs: ['bind'], apiGroup: RBAC, resources: ['roles', 'clusterroles'] });
      if (m.length === 0) return [];
      const create = probe(grants, { verbs: ['create'], apiGroup: RBAC, resources: ['rolebindings', 'clusterrolebindings'] });
      // Bindings can only be written where the subject may create them: same namespace, or cluster-wide.
      const usable = m.some((b) => create.some((c) => c.scope === undefined || c.scope === b.scope));
      return [permissionHit(context, subject, m, 'can', { resources: [...new Set(m.map((x) => x.resource))].sort().join(', '), create: usable ? ' and can create the bindings' : ' (it also needs create on rolebindings to use it)' }, usable ? 'critical' : 'high')];
    }),
});
