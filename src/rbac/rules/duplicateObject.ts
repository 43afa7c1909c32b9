import { problemRule } from './problems.js';

export const duplicateObject = problemRule('RBAC_DUPLICATE_OBJECT', {
  severity: 'low',
  title: 'Role or binding defined twice',
  description: 'The input defines the same Role, ClusterRole, RoleBinding or ClusterRoleBinding twice; the last one applied wins (palisade reads it so), so what is granted, and to whom, depends on apply order.',
  remediation: 'Keep one definition per role and per binding.',
  frameworks: { 'nist-800-53': ['CM-2'] },
});
