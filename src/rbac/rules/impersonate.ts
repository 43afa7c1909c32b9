import { clusterOrPrivileged, defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/**
 * R17. Impersonation targets: users and groups (cluster-scoped), serviceaccounts (namespaced: a
 * RoleBinding gives the accounts of its namespace), and authentication.k8s.io uids and
 * userextras/<key> (the extra's key is the subresource, so only `userextras/<key>`, `*`/<key> and `*` rules match).
 */
export const impersonate = defineRbacRule({
  id: 'RBAC_IMPERSONATE',
  severity: 'critical',
  title: 'Subject can impersonate users, groups or service accounts',
  description:
    'R17. impersonate on users or groups lets the subject send `--as-group=system:masters` and be cluster-admin; on serviceaccounts it acts as any account of the namespace (a KServe or Kubeflow controller included). uids and userextras complete an impersonated identity. users, groups, uids and userextras are cluster-scoped: only a ClusterRoleBinding grants them; through a RoleBinding only the service accounts of its namespace can be impersonated.',
  remediation: 'Remove impersonate; where a proxy needs it, narrow it with resourceNames to the identities it forwards.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1078'], kubescape: ['C-0065', 'C-0191'] },
  messages: { can: '{who} can impersonate {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const grants = context.grantsOf(subject);
      const m: Match[] = [...probe(grants, { verbs: ['impersonate'], apiGroup: '', resources: ['users', 'groups', 'serviceaccounts'] }), ...probe(grants, { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resources: ['uids'] })];
      // userextras/<key>: any key the rule names (cluster-scoped, so ClusterRoleBindings only).
      for (const grant of grants) {
        if (grant.scope !== undefined) continue;
        for (const rule of grant.rules) {
          const r = rule.rule;
          if (!(r.verbs.includes('*') || r.verbs.includes('impersonate')) || !(r.apiGroups.includes('*') || r.apiGroups.includes('authentication.k8s.io'))) continue;
          const extra = r.resources.find((x) => x === '*' || x.startsWith('userextras/') || x.startsWith('*/'));
          if (extra && !m.some((x) => x.rule === rule)) m.push({ grant, rule, verb: 'impersonate', resource: extra === '*' ? 'userextras' : extra });
        }
      }
      if (m.length === 0) return [];
      const identities = m.some((x) => x.resource === 'users' || x.resource === 'groups');
      const sas = m.filter((x) => x.resource === 'serviceaccounts');
      const severity = identities ? 'critical' : sas.length > 0 ? clusterOrPrivileged(sas, 'critical', 'high') : 'medium';
      return [permissionHit(context, subject, m, 'can', { resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, severity)];
    }),
});
