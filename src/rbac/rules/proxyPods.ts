import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['get', 'create', 'update', 'patch', 'delete'], apiGroup: '', resources: ['pods/proxy', 'services/proxy'] },
];

export const proxyPods = permissionRule(
  {
    id: 'RBAC_PROXY',
    severity: 'medium',
    title: 'Subject can reach pods and services through the API server proxy',
    description: 'R12. get or create on pods/proxy or services/proxy sends HTTP to any port of a pod or Service through the API server, past NetworkPolicy: model servers\' management APIs, Ray and Jupyter included.',
    remediation: 'Remove pods/proxy and services/proxy from the role.',
    frameworks: { 'nist-800-53': ['AC-6', 'SC-7'], 'mitre-attack': ['T1090'] },
    messages: { can: '{who} can proxy to pods or services {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'high', 'medium') },
);
