import { defineRbacRule, workloadTokenHits } from '../analysis.js';

/**
 * Kubescape C-0261: a workload mounts its service account token (the pod spec's
 * automountServiceAccountToken wins, then the ServiceAccount's, then the default: mounted) and that
 * account is named by a binding. Code execution in the pod is then the account's RBAC.
 */
export const tokenMountBound = defineRbacRule({
  id: 'RBAC_TOKEN_MOUNTED_WITH_BINDINGS',
  severity: 'medium',
  title: 'Workload mounts the token of a service account that has RBAC bindings',
  description: 'R30. The pod mounts its service account token and the account is the subject of a binding, so anything that runs code in the pod (a malicious model, a notebook user, an exploited model server) acts with the account\'s permissions. Set automountServiceAccountToken: false where the pod never calls the API. Kubescape C-0261.',
  remediation: 'Set automountServiceAccountToken: false on the pod (or its ServiceAccount) unless the workload calls the Kubernetes API.',
  frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1552.007'], kubescape: ['C-0261'] },
  messages: { mounted: '{kind} {namespace}/{name} mounts the token of ServiceAccount {namespace}/{sa}, which {binding} binds' },
  detect: (context) => {
    const bound = new Map<string, string>();
    for (const binding of context.model.input.bindings) for (const s of binding.subjects) if (!s.inert && s.subject.kind === 'ServiceAccount' && !bound.has(`${s.subject.namespace}/${s.subject.name}`)) bound.set(`${s.subject.namespace}/${s.subject.name}`, `${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}`);
    return workloadTokenHits(context, (pod) => {
      const binding = bound.get(`${pod.namespace}/${pod.serviceAccount}`);
      return binding === undefined ? undefined : { messageId: 'mounted', data: { binding } };
    });
  },
});
