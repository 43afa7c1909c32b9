import { problemRule } from './problems.js';

export const invalidRoleRef = problemRule('RBAC_INVALID_ROLE_REF', {
  severity: 'low',
  title: 'Binding has a roleRef the API server refuses',
  description: 'A ClusterRoleBinding refers to a Role, or a roleRef kind is neither Role nor ClusterRole. The API server rejects the object, so it grants nothing; tools that count it anyway (Kubescape) overstate the subject\'s rights.',
  remediation: 'Refer to a ClusterRole from a ClusterRoleBinding, or use a RoleBinding in the Role\'s namespace.',
  frameworks: { 'nist-800-53': ['CM-2'] },
});
