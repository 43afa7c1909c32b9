import { permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['delete', 'deletecollection'], apiGroup: '', resources: ['events'] },
  { verbs: ['delete', 'deletecollection'], apiGroup: 'events.k8s.io', resources: ['events'] },
];

export const deleteEvents = permissionRule(
  {
    id: 'RBAC_DELETE_EVENTS',
    severity: 'low',
    title: 'Subject can delete events',
    description: 'R26. delete or deletecollection on events erases the trail of what happened in the cluster.',
    remediation: 'Remove delete on events; events expire on their own.',
    frameworks: { 'nist-800-53': ['AU-9'], 'mitre-attack': ['T1070'], kubescape: ['C-0031'] },
    messages: { can: '{who} can delete events {scope} via {via}' },
  },
  PROBES,
  {  },
);
