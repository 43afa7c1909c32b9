import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['update', 'patch'], apiGroup: '', resources: ['pods/ephemeralcontainers'] },
];

export const ephemeralContainers = permissionRule(
  {
    id: 'RBAC_EPHEMERAL_CONTAINERS',
    severity: 'high',
    title: 'Subject can add ephemeral containers to running pods',
    description: 'R13. update or patch on pods/ephemeralcontainers adds a debug container, with any image and (where Pod Security allows) privileges, to any running pod, in its network and with its service account.',
    remediation: 'Keep pods/ephemeralcontainers for a break-glass role.',
    frameworks: { 'nist-800-53': ['AC-6'], 'mitre-attack': ['T1609'] },
    messages: { can: '{who} can add ephemeral containers to pods {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
