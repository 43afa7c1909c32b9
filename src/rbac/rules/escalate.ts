import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['escalate'], apiGroup: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles'] },
];

export const escalate = defineRbacRule({
  id: 'RBAC_ESCALATE',
  severity: 'critical',
  title: 'Subject can escalate roles',
  description: 'R15. escalate on roles or clusterroles lets the subject write into a role it is bound to any permission it does not hold. The API server checks escalate on clusterroles at cluster scope, so only a ClusterRoleBinding grants that; escalate on roles works per namespace.',
  remediation: 'Remove escalate; let a reviewed pipeline change roles.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1098.006'], kubescape: ['C-0191'] },
  messages: { can: '{who} can escalate {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, undefined)];
    }),
});
