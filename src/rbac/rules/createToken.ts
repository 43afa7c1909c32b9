import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create'], apiGroup: '', resources: ['serviceaccounts/token'] },
];

export const createToken = permissionRule(
  {
    id: 'RBAC_CREATE_TOKEN',
    severity: 'high',
    title: 'Subject can mint service account tokens',
    description: 'R05. create on serviceaccounts/token (TokenRequest) mints a token for any service account of the namespace, the KServe or Kubeflow controller included; with resourceNames, for those accounts only. Critical cluster-wide or in a privileged namespace.',
    remediation: 'Remove create on serviceaccounts/token; workloads get their own token by projection, not by asking for one.',
    frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1528'], kubescape: ['C-0282'] },
    messages: { can: '{who} can create tokens for service accounts {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
