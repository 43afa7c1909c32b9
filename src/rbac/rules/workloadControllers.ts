import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'update', 'patch'], apiGroup: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: '', resources: ['replicationcontrollers'] },
  { verbs: ['create', 'update', 'patch'], apiGroup: 'extensions', resources: ['deployments', 'daemonsets', 'replicasets'] },
];

export const workloadControllers = permissionRule(
  {
    id: 'RBAC_WRITE_WORKLOADS',
    severity: 'high',
    title: 'Subject can create or change workload controllers',
    description: 'R07. create, update or patch on Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs or ReplicationControllers: the same power as creating pods (any service account of the namespace, any image), with the controller in the audit trail instead of the subject.',
    remediation: 'Deploy through CI or GitOps with a dedicated account; give people read access.',
    frameworks: { 'nist-800-53': ['AC-6', 'CM-5'], 'mitre-attack': ['T1610'] },
    messages: { can: '{who} can create or change workload controllers {scope} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
