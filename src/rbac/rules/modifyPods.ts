import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['update', 'patch'], apiGroup: '', resources: ['pods'] },
];

export const modifyPods = permissionRule(
  {
    id: 'RBAC_MODIFY_PODS',
    severity: 'high',
    title: 'Subject can change running pods',
    description: 'R09. update or patch on pods: swap the image of a running container (the field is mutable) and run code under its service account, or relabel pods to steal a Service\'s traffic.',
    remediation: 'Remove update and patch on pods; change workloads through their controllers.',
    frameworks: { 'nist-800-53': ['AC-6', 'CM-5'], 'mitre-attack': ['T1610'] },
    messages: { can: '{who} can update or patch pods {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
