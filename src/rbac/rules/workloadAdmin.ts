import { defineRbacRule, describeScope, probe } from '../analysis.js';

/** Kubescape C-0272: a workload whose mounted token holds `*` on `*` (cluster or namespace admin). */
export const workloadAdmin = defineRbacRule({
  id: 'RBAC_WORKLOAD_ADMIN',
  severity: 'critical',
  title: 'Workload runs with an administrator token',
  description: 'The workload mounts the token of a service account that holds every verb on every resource (cluster-wide through a ClusterRoleBinding, or in a namespace): whoever runs code in the pod is administrator. Kubescape C-0272.',
  remediation: 'Give the workload its own service account with only the verbs and resources it calls, and set automountServiceAccountToken: false where it calls nothing.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-6(5)'], 'mitre-attack': ['T1078', 'T1552.007'], kubescape: ['C-0272'] },
  messages: { admin: '{kind} {namespace}/{name} runs as ServiceAccount {namespace}/{sa}, which has every verb on every resource {scope}' },
  detect: (context) => {
    const seen = new Set<string>();
    return context.model.input.pods.flatMap((pod) => {
      const key = `${pod.ref.kind}/${pod.namespace}/${pod.ref.name}/${pod.serviceAccount}`;
      if (seen.has(key) || !context.tokenMounted(pod)) return [];
      seen.add(key);
      const subject = { kind: 'ServiceAccount' as const, namespace: pod.namespace, name: pod.serviceAccount };
      const m = probe(context.effectiveGrants(subject), { verbs: ['*'], apiGroup: '', resources: ['*'] });
      if (m.length === 0) return [];
      return [{ subject, resource: pod.ref, ...(pod.location ? { location: pod.location } : {}), messageId: 'admin', data: { kind: pod.ref.kind, namespace: pod.namespace, name: pod.ref.name, sa: pod.serviceAccount, scope: describeScope(m) }, pods: [pod] }];
    });
  },
});
