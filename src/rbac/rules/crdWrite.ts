import { permissionRule } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'update', 'patch'], apiGroup: 'apiextensions.k8s.io', resources: ['customresourcedefinitions'] },
];

export const crdWrite = permissionRule(
  {
    id: 'RBAC_WRITE_CRDS',
    severity: 'medium',
    title: 'Subject can install or change CustomResourceDefinitions',
    description: 'R20. create, update or patch on customresourcedefinitions adds APIs and conversion webhooks that see every object of a kind, and can loosen the schema an operator relies on.',
    remediation: 'Install CRDs from the platform pipeline only.',
    frameworks: { 'nist-800-53': ['CM-5'], 'mitre-attack': ['T1562.001'] },
    messages: { can: '{who} can create or change CustomResourceDefinitions {scope}{names} via {via}' },
  },
  PROBES,
  {  },
);
