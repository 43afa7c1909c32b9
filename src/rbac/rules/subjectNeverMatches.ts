import { problemRule } from './problems.js';

export const subjectNeverMatches = problemRule('RBAC_SUBJECT_NEVER_MATCHES', {
  severity: 'low',
  title: 'Binding subject that never matches anyone',
  description: 'A binding subject has a kind other than User, Group or ServiceAccount (a typo such as `Serviceaccount`), or is a ServiceAccount without namespace in a ClusterRoleBinding: the authorizer never matches it, so the account that was meant to get the role does not.',
  remediation: 'Fix the subject: kind User, Group or ServiceAccount, and a namespace for service accounts.',
  frameworks: { 'nist-800-53': ['CM-2'] },
});
