import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create'], apiGroup: '', resources: ['pods'] },
];

export const createPods = permissionRule(
  {
    id: 'RBAC_CREATE_PODS',
    severity: 'high',
    title: 'Subject can create pods (and so run as any service account of the namespace)',
    description: 'R06. create on pods lets the subject run a pod with any service account of the namespace (stealing its token), any image, and host access where Pod Security allows it. Critical cluster-wide or in a privileged namespace.',
    remediation: 'Let a controller (Deployment, KServe, KubeRay) create pods; if people must, limit it to a namespace whose service accounts hold nothing and enforce Pod Security restricted there.',
    frameworks: { 'nist-800-53': ['AC-6', 'CM-7'], 'mitre-attack': ['T1610'], kubescape: ['C-0188'] },
    messages: { can: '{who} can create pods {scope} via {via}: every service account there is within reach' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
