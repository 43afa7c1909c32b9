import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['update', 'patch'], apiGroup: '', resources: ['nodes', 'nodes/status'] },
  { verbs: ['delete'], apiGroup: '', resources: ['nodes'] },
  { verbs: ['create'], apiGroup: '', resources: ['pods/eviction'] },
];

export const nodeTampering = defineRbacRule({
  id: 'RBAC_NODE_TAMPERING',
  severity: 'medium',
  title: 'Subject can change nodes or evict pods',
  description: 'R24. update or patch on nodes or nodes/status, delete on nodes, or create on pods/eviction: taint and label nodes and evict pods to pull powerful pods (GPU operator, device plugins, model servers) onto a node the subject controls.',
  remediation: 'Leave node writes to the node controller and cluster autoscaler; remove pods/eviction from people\'s roles.',
  frameworks: { 'nist-800-53': ['AC-6', 'CM-5'], 'mitre-attack': ['T1610'] },
  messages: { can: '{who} can {verbs} {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { verbs: [...new Set(m.map((x) => x.verb))].sort().join(', '), resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, ((m) => (m.some((x) => x.resource.startsWith('nodes')) ? 'high' : 'medium'))(m))];
    }),
});
