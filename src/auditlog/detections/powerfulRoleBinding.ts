import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const powerfulRoleBinding: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_POWERFUL_ROLE_BINDING',
    family: 'auditlog',
    severity: 'critical',
    title: 'Binding to cluster-admin, admin, edit or a controller role, or to everyone',
    description:
      'A ClusterRoleBinding or RoleBinding was created, updated or patched so that it grants cluster-admin, admin, edit, or a controller role that can mint tokens, bind roles or run pods anywhere, or so that its subjects include system:anonymous, system:unauthenticated, system:authenticated or all service accounts. Falco\'s `Attach to cluster-admin Role` covers only new ClusterRoleBindings to cluster-admin. Needs Request-level events for RBAC objects.',
    remediation: 'Remove the binding unless it was approved; grant the narrow role the workload needs, to its own service account.',
    frameworks: { 'mitre-attack': ['T1098.006', 'T1078'], 'mitre-atlas': ['AML.T0012'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Binding To Powerful Role',
    desc: 'Detect bindings to cluster-admin and other powerful roles, or to groups that stand for everyone.',
    condition: 'palisade_complete and ka.target.resource in (clusterrolebindings, rolebindings) and ka.verb in (create, update, patch) and palisade_succeeded and (ka.req.binding.role in (palisade_powerful_cluster_roles) or ka.req.binding.subjects.group_names intersects (palisade_everyone_groups) or ka.req.binding.subjects.user_names intersects (system:anonymous))',
    output: 'Binding to powerful role (user=%ka.user.name binding=%ka.target.name resource=%ka.target.resource ns=%ka.target.namespace role=%ka.req.binding.role subjects=%ka.req.binding.subjects verb=%ka.verb)',
    priority: 'Critical',
    tags: ['k8s', 'rbac', 'mitre_privilege_escalation'],
  },
};
