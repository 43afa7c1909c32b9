import { problemRule } from './problems.js';

export const danglingRoleRef = problemRule('RBAC_DANGLING_ROLE_REF', {
  severity: 'medium',
  title: 'Binding refers to a role that does not exist',
  description: 'A RoleBinding or ClusterRoleBinding names a Role or ClusterRole the input does not define. It grants nothing today, and everything a role of that name will hold the day someone creates it, perhaps by installing an unrelated chart.',
  remediation: 'Delete the binding, or create the role it expects with the rules it should grant.',
  frameworks: { 'nist-800-53': ['AC-2', 'CM-2'] },
});
