import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['update', 'patch'], apiGroup: '', resources: ['pods/status', 'services/status'] },
];

export const statusWrite = defineRbacRule({
  id: 'RBAC_WRITE_STATUS',
  severity: 'low',
  title: 'Subject can write pod or service status',
  description: 'R25. update or patch on pods/status or services/status: make pods match Service selectors to intercept traffic, or set a LoadBalancer ingress IP (CVE-2020-8554 man-in-the-middle).',
  remediation: 'Leave status to the kubelet and controllers.',
  frameworks: { 'nist-800-53': ['AC-6'], 'mitre-attack': ['T1557'] },
  messages: { can: '{who} can write {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, ((m) => (m.some((x) => x.resource === 'services/status') ? 'medium' : 'low'))(m))];
    }),
});
