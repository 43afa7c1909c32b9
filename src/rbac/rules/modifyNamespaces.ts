import { permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['update', 'patch'], apiGroup: '', resources: ['namespaces'] },
];

export const modifyNamespaces = permissionRule(
  {
    id: 'RBAC_MODIFY_NAMESPACES',
    severity: 'medium',
    title: 'Subject can relabel namespaces',
    description: 'R22. update or patch on namespaces: set pod-security.kubernetes.io/enforce=privileged, or move a namespace in or out of the selectors of NetworkPolicies and webhooks.',
    remediation: 'Keep namespace writes for the platform pipeline.',
    frameworks: { 'nist-800-53': ['CM-5', 'AC-6'], 'mitre-attack': ['T1562.001'] },
    messages: { can: '{who} can update or patch namespaces {scope}{names} via {via}' },
  },
  PROBES,
  {  },
);
