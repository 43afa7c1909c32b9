import { problemRule } from './problems.js';

export const duplicateObject = problemRule('RBAC_DUPLICATE_OBJECT', {
  severity: 'low',
  title: 'Role defined twice',
  description: 'The input defines the same Role or ClusterRole twice; the last one applied wins, so what a binding grants depends on apply order.',
  remediation: 'Keep one definition per role.',
  frameworks: { 'nist-800-53': ['CM-2'] },
});
