import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';
import { isBroadGroup } from '../data/namespaces.js';

/**
 * R29 / Kubescape C-0265: a broad group (every user, every anonymous caller, every pod of the
 * cluster or of a namespace) holds any verb on the resources an attacker takes a cluster with.
 * Kubescape's own list; `pods/*` and `nodes/*` there are literals in Kubernetes and match nothing,
 * so only real subresources count.
 */
const SENSITIVE: ReadonlyArray<{ apiGroup: string; resources: string[] }> = [
  { apiGroup: '', resources: ['pods', 'pods/exec', 'pods/attach', 'pods/portforward', 'nodes', 'nodes/proxy', 'secrets', 'serviceaccounts/token'] },
  { apiGroup: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
];
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'];
const READ = new Set(['get', 'list', 'watch']);

export const broadSubject = defineRbacRule({
  id: 'RBAC_BROAD_GROUP_SENSITIVE',
  severity: 'high',
  title: 'A broad group (system:authenticated, system:serviceaccounts…) has access to sensitive resources',
  description:
    'R29. system:authenticated (every user and every pod), system:unauthenticated (anonymous callers), system:serviceaccounts (every pod) or system:serviceaccounts:<ns> (every pod of a namespace) holds a verb on pods, exec/attach/port-forward, nodes, Secrets, tokens or workload controllers. Critical when the access writes, execs or reads Secrets; high for reading pods and nodes, which still lists every pod\'s environment and image to anyone. Kubescape C-0265.',
  remediation: 'Bind the role to the users or service accounts that need it instead of the group.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1078'], kubescape: ['C-0265'] },
  messages: { can: '{who} can {verbs} {resources} {scope} via {via}: that is every member of the group' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      if (subject.kind !== 'Group' || !isBroadGroup(subject.name)) return [];
      const m: Match[] = SENSITIVE.flatMap((s) => probe(context.grantsOf(subject), { verbs: VERBS, apiGroup: s.apiGroup, resources: s.resources }));
      if (m.length === 0) return [];
      const severe = m.some((x) => !READ.has(x.verb) || x.resource === 'secrets' || x.resource.includes('/'));
      return [permissionHit(context, subject, m, 'can', { verbs: [...new Set(m.map((x) => x.verb))].sort().join(', '), resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, severe ? 'critical' : 'high')];
    }),
});
