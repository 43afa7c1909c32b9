import { problemRule } from './problems.js';

export const aggregationLoop = problemRule('RBAC_AGGREGATION_LOOP', {
  severity: 'medium',
  title: 'Aggregated ClusterRoles select each other in a loop',
  description: 'Two or more ClusterRoles with aggregationRule select each other. The aggregation controller then writes rules that depend on the order it syncs them, and rules once written can persist: the permissions are not what the manifests say. palisade refuses the loop and counts only rules that come from outside it.',
  remediation: 'Label the source roles, not the aggregated ones, so aggregation flows one way.',
  frameworks: { 'nist-800-53': ['AC-6', 'CM-2'] },
});
