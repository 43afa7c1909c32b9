import { permissionRule } from '../analysis.js';
import { isPrivilegedNamespace } from '../data/namespaces.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['get', 'list', 'watch'], apiGroup: '', resources: ['secrets'] },
];

export const readSecrets = permissionRule(
  {
    id: 'RBAC_READ_SECRETS',
    severity: 'high',
    title: 'Subject can read Secrets',
    description: 'R03. get, list or watch on Secrets. list and watch return every Secret in full; get without resourceNames lets the subject guess names. In ML namespaces Secrets hold object-store keys, Hugging Face tokens and model-registry credentials; legacy service-account token Secrets give tokens. Critical cluster-wide with list/watch or in a privileged namespace; medium when resourceNames restrict it.',
    remediation: 'Grant get on the named Secrets the workload needs (resourceNames), or mount them instead of reading them through the API.',
    frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1552.007'], kubescape: ['C-0015', 'C-0186'] },
    messages: { can: '{who} can read Secrets {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => (m.some((x) => x.scope === undefined && !x.names && (x.verb === 'list' || x.verb === 'watch')) || m.some((x) => !x.names && isPrivilegedNamespace(x.scope)) ? 'critical' : m.every((x) => x.names) ? 'medium' : 'high') },
);
