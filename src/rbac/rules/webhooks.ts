import { defineRbacRule, permissionHit, probe, type Match } from '../analysis.js';

/** Permissions that make the pattern (research/rbac.md). */
const PROBES = [
  { verbs: ['create', 'update', 'patch', 'delete'], apiGroup: 'admissionregistration.k8s.io', resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations', 'validatingadmissionpolicies', 'validatingadmissionpolicybindings', 'mutatingadmissionpolicies', 'mutatingadmissionpolicybindings'] },
];

export const webhooks = defineRbacRule({
  id: 'RBAC_ADMISSION_WEBHOOKS',
  severity: 'high',
  title: 'Subject can change admission webhooks or policies',
  description: 'R19. create, update, patch or delete on mutating or validating webhook configurations (or ValidatingAdmissionPolicies and their bindings): a mutating webhook injects containers, env and Secrets into every new pod (KServe, Kubeflow PodDefaults and Istio use them), a validating one sees every object, deleting one turns a guardrail off. Critical for mutating webhooks. Cluster-scoped: only a ClusterRoleBinding grants it.',
  remediation: 'Keep webhook and admission policy writes for the platform pipeline; operators that register their own webhook can be limited to it with resourceNames.',
  frameworks: { 'nist-800-53': ['AC-6', 'CM-5'], 'mitre-attack': ['T1562.001'], kubescape: ['C-0281'] },
  messages: { can: '{who} can {verbs} {resources} {scope}{names} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const all: Match[] = PROBES.flatMap((p) => probe(context.grantsOf(subject), p));
      const m = all;
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { verbs: [...new Set(m.map((x) => x.verb))].sort().join(', '), resources: [...new Set(m.map((x) => x.resource))].sort().join(', ') }, ((m) => (m.some((x) => x.resource.startsWith('mutating') && !x.names) ? 'critical' : 'high'))(m))];
    }),
});
