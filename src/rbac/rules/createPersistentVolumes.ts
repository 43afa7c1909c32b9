import { permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create'], apiGroup: '', resources: ['persistentvolumes'] },
];

export const createPersistentVolumes = permissionRule(
  {
    id: 'RBAC_CREATE_PERSISTENT_VOLUMES',
    severity: 'high',
    title: 'Subject can create PersistentVolumes',
    description: 'R21. create on persistentvolumes: a hostPath PersistentVolume mounts the node\'s filesystem into a pod. Cluster-scoped, so only a ClusterRoleBinding grants it (Kubescape also counts RoleBindings; the API server does not).',
    remediation: 'Let a CSI driver provision volumes from StorageClasses; remove create on persistentvolumes.',
    frameworks: { 'nist-800-53': ['AC-6'], 'mitre-attack': ['T1611'], kubescape: ['C-0278'] },
    messages: { can: '{who} can create PersistentVolumes {scope} via {via}' },
  },
  PROBES,
  {  },
);
