import { problemRule } from './problems.js';

export const duplicateObject = problemRule('RBAC_DUPLICATE_OBJECT', {
  severity: 'low',
  title: 'Role or binding defined twice',
  description: 'The input defines the same Role, ClusterRole, RoleBinding or ClusterRoleBinding twice; the last one applied wins, so what is granted, and to whom, depends on apply order. palisade reads the later of two roles, and counts the grants of both bindings.',
  remediation: 'Keep one definition per role and per binding.',
  frameworks: { 'nist-800-53': ['CM-2'] },
});
