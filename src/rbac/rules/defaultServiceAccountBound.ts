import { defineRbacRule } from '../analysis.js';

/**
 * R30 / Kubescape C-0225: the `default` service account of a namespace runs every pod that names no
 * account; binding it to anything but the bootstrap roles (label kubernetes.io/bootstrapping:
 * rbac-defaults) hands that role to every such pod.
 */
export const defaultServiceAccountBound = defineRbacRule({
  id: 'RBAC_DEFAULT_SERVICE_ACCOUNT_BOUND',
  severity: 'medium',
  title: 'The default service account is bound to a role',
  description: 'R30. A RoleBinding or ClusterRoleBinding that is not one of the bootstrap bindings names a namespace\'s `default` service account: every pod there that sets no serviceAccountName, and any code running in it, gets the role. Kubescape C-0225.',
  remediation: 'Create a service account per workload, bind it, and set serviceAccountName; leave `default` without bindings.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1078.001'], kubescape: ['C-0225', 'C-0239'] },
  messages: { bound: '{binding} binds the default service account of namespace {namespace} to {role}' },
  detect: (context) =>
    context.model.input.bindings.flatMap((binding) => {
      if (binding.labels['kubernetes.io/bootstrapping'] === 'rbac-defaults') return [];
      return binding.subjects
        .filter((s) => !s.inert && s.subject.kind === 'ServiceAccount' && s.subject.name === 'default')
        .map((s) => ({
          subject: s.subject,
          resource: binding.ref,
          ...(s.location ?? binding.location ? { location: (s.location ?? binding.location)! } : {}),
          messageId: 'bound',
          data: { binding: `${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}`, namespace: s.subject.namespace!, role: `${binding.roleRef.kind} ${binding.roleRef.name}` },
          pods: context.podsOf(s.subject),
        }));
    }),
});
