import { defineRbacRule, permissionHit, probe, clusterOrPrivileged, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'get'], apiGroup: '', resources: ['pods/exec', 'pods/attach'] },
];

export const execPods = defineRbacRule({
  id: 'RBAC_EXEC_PODS',
  severity: 'high',
  title: 'Subject can exec into or attach to pods',
  description: 'R10. create on pods/exec or pods/attach, or get on them: kubectl 1.30 and later open exec over WebSocket, which the API server authorizes as get (newer servers also ask for create under the AuthorizePodWebsocketUpgradeCreatePermission gate, so get alone still counts where that gate is off). A shell in a model server, notebook or training pod reads its token, its mounted credentials and the model weights. Critical cluster-wide or in a privileged namespace.',
  remediation: 'Remove exec and attach (create and get) from the role; debug with ephemeral containers under a break-glass account, or read logs.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-17'], 'mitre-attack': ['T1609'], kubescape: ['C-0002'] },
  messages: { can: '{who} can exec into or attach to pods {scope}{names} ({verbs}) via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { verbs: [...new Set(m.map((x) => x.verb))].sort().join(', ') }, ((m) => clusterOrPrivileged(m, 'critical', 'high'))(m))];
    }),
});
