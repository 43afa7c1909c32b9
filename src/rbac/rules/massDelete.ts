import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['delete', 'deletecollection'], apiGroup: '', resources: ['secrets', 'pods', 'services', 'persistentvolumeclaims'] },
  { verbs: ['delete', 'deletecollection'], apiGroup: 'apps', resources: ['deployments', 'replicasets', 'daemonsets', 'statefulsets'] },
  { verbs: ['delete', 'deletecollection'], apiGroup: 'batch', resources: ['jobs', 'cronjobs'] },
];

export const massDelete = defineRbacRule({
  id: 'RBAC_DELETE_RESOURCES',
  severity: 'medium',
  title: 'Subject can delete important resources',
  description: 'R27. delete or deletecollection on Secrets, pods, Services, PersistentVolumeClaims or workload controllers: take model serving down or destroy the volumes that hold models.',
  remediation: 'Give delete to the deployment pipeline only.',
  frameworks: { 'nist-800-53': ['AC-6', 'CP-9'], 'mitre-attack': ['T1485'], kubescape: ['C-0007'] },
  messages: { can: '{who} can delete {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, undefined)];
    }),
});
