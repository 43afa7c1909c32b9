import { permissionRule, clusterOrPrivileged } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'update', 'patch'], apiGroup: '', resources: ['secrets'] },
];

export const writeSecrets = permissionRule(
  {
    id: 'RBAC_WRITE_SECRETS',
    severity: 'high',
    title: 'Subject can create or change Secrets',
    description: 'R04. create, update or patch on Secrets: create a service-account-token Secret for a powerful account and the token controller fills it in, or overwrite the credentials a model server loads.',
    remediation: 'Let a controller or an external secrets operator write Secrets; give people and workloads read access to named Secrets only.',
    frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1528'] },
    messages: { can: '{who} can create or change Secrets {scope}{names} via {via}' },
  },
  PROBES,
  { severity: (m) => clusterOrPrivileged(m, 'critical', 'high') },
);
