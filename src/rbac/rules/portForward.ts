import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/portforward'] },
];

export const portForward = permissionRule(
  {
    id: 'RBAC_PORT_FORWARD',
    severity: 'medium',
    title: 'Subject can port-forward to pods',
    description: 'R11. create (or get, over WebSocket) on pods/portforward tunnels to any port of a pod, past NetworkPolicy: a Jupyter server, the Ray dashboard and job API (job submission is code execution), Triton or TorchServe management APIs. High cluster-wide or in a privileged namespace.',
    remediation: 'Remove pods/portforward; expose what people need through an authenticated Service.',
    frameworks: { 'nist-800-53': ['AC-6', 'SC-7'], 'mitre-attack': ['T1090'], kubescape: ['C-0063'] },
    messages: { can: '{who} can port-forward to pods {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'high', 'medium') },
);
