import { permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['get', 'create'], apiGroup: '', resources: ['nodes/proxy'] },
];

export const nodesProxy = permissionRule(
  {
    id: 'RBAC_NODES_PROXY',
    severity: 'critical',
    title: 'Subject can reach the kubelet API (nodes/proxy)',
    description: 'R14. get or create on nodes/proxy opens the kubelet API of every node: exec into any pod (over WebSocket with get alone), past API-server audit and admission. Cluster-scoped, so only a ClusterRoleBinding grants it.',
    remediation: 'Remove nodes/proxy; monitoring agents need nodes/metrics or nodes/stats only.',
    frameworks: { 'nist-800-53': ['AC-6', 'AC-17'], 'mitre-attack': ['T1609', 'T1611'], kubescape: ['C-0279'] },
    messages: { can: '{who} can use the kubelet API through nodes/proxy {scope}{names} via {via}' },
  },
  PROBES,
  {  },
);
