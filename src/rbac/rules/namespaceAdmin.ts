import { everyVerb, permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  // `get` finds the rules on every resource; everyVerb keeps those with `*` or every read and write verb
  { verbs: ['*', 'get'], apiGroup: '', resources: ['*'] },
];

export const namespaceAdmin = permissionRule(
  {
    id: 'RBAC_NAMESPACE_ADMIN',
    severity: 'high',
    title: 'Subject is namespace admin (every verb on every resource of a namespace)',
    description: 'R02. A RoleBinding gives the subject every verb (`*`, or every read and write verb written out) on every resource of its namespace: all Secrets, every service account token, every pod. In kube-system or an ML operator namespace (kserve, kubeflow, ray-system…) that is cluster takeover, so the severity is critical there.',
    remediation: 'Bind a role that lists the verbs and resources the subject needs instead of `*`.',
    frameworks: { 'nist-800-53': ['AC-6', 'AC-6(5)'], 'mitre-attack': ['T1078'], kubescape: ['C-0035'] },
    messages: { can: '{who} has every verb on every resource {scope} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high'), filter: (m) => m.filter((x) => x.scope !== undefined && everyVerb(x.rule)) },
);
