import { everyVerb, permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  // `get` finds the rules on every resource; everyVerb keeps those with `*` or every read and write verb
  { verbs: ['*', 'get'], apiGroup: '', resources: ['*'] },
];

export const clusterAdmin = permissionRule(
  {
    id: 'RBAC_CLUSTER_ADMIN',
    severity: 'critical',
    title: 'Subject is cluster-admin (every verb on every resource, cluster-wide)',
    description: 'R01. A ClusterRoleBinding gives the subject a rule with verbs `*` (or every read and write verb written out: get, list, watch, create, update, patch, delete) on resources `*` in the core or every API group: full control of the cluster, every Secret, every pod, every node. Kubescape flags it as C-0035 (administrative roles) and C-0185 (cluster-admin binding).',
    remediation: 'Bind a role that lists the verbs and resources the subject needs, in the namespaces it works in; keep cluster-admin for break-glass users.',
    frameworks: { 'nist-800-53': ['AC-6', 'AC-6(5)'], 'mitre-attack': ['T1078'], kubescape: ['C-0035', 'C-0185'] },
    messages: { can: '{who} has every verb on every resource cluster-wide via {via}' },
  },
  PROBES,
  { filter: (m) => m.filter((x) => x.scope === undefined && everyVerb(x.rule)) },
);
