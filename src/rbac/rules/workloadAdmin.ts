import { defineRbacRule, describeScope, probe, workloadTokenHits } from '../analysis.js';

/** Kubescape C-0272: a workload whose mounted token holds `*` on `*` (cluster or namespace admin). */
export const workloadAdmin = defineRbacRule({
  id: 'RBAC_WORKLOAD_ADMIN',
  severity: 'critical',
  title: 'Workload runs with an administrator token',
  description: 'The workload mounts the token of a service account that holds every verb on every resource (cluster-wide through a ClusterRoleBinding, or in a namespace): whoever runs code in the pod is administrator. Kubescape C-0272.',
  remediation: 'Give the workload its own service account with only the verbs and resources it calls, and set automountServiceAccountToken: false where it calls nothing.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-6(5)'], 'mitre-attack': ['T1078', 'T1552.007'], kubescape: ['C-0272'] },
  messages: { admin: '{kind} {namespace}/{name} runs as ServiceAccount {namespace}/{sa}, which has every verb on every resource {scope}' },
  detect: (context) =>
    workloadTokenHits(context, (_pod, subject) => {
      const m = probe(context.effectiveGrants(subject), { verbs: ['*'], apiGroup: '', resources: ['*'] });
      return m.length === 0 ? undefined : { messageId: 'admin', data: { scope: describeScope(m) } };
    }),
});
