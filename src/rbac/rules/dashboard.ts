import { defineRbacRule } from '../analysis.js';

/** Kubescape C-0014: subjects bound to the Kubernetes dashboard's roles reach the cluster through its UI. */
export const dashboard = defineRbacRule({
  id: 'RBAC_DASHBOARD_ACCESS',
  severity: 'medium',
  title: 'Subject is bound to a Kubernetes dashboard role',
  description: 'A binding gives a subject a role named kubernetes-dashboard…: the dashboard acts with it, and an exposed dashboard has been the entry point of real cluster compromises. Kubescape C-0014.',
  remediation: 'Give dashboard users their own least-privilege roles and sign in with their own tokens; never bind the dashboard\'s service account roles to people or broad groups.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-17'], 'mitre-attack': ['T1133'], kubescape: ['C-0014'] },
  messages: { bound: '{who} is bound to {role} by {binding}' },
  detect: (context) =>
    context.model.input.bindings.flatMap((binding) =>
      !binding.roleRef.name.startsWith('kubernetes-dashboard')
        ? []
        : binding.subjects
            .filter((s) => !s.inert)
            .map((s) => ({
              subject: s.subject,
              resource: binding.ref,
              ...(s.location ?? binding.location ? { location: (s.location ?? binding.location)! } : {}),
              messageId: 'bound',
              data: { who: s.subject.kind === 'ServiceAccount' ? `ServiceAccount ${s.subject.namespace}/${s.subject.name}` : `${s.subject.kind} ${s.subject.name}`, role: `${binding.roleRef.kind} ${binding.roleRef.name}`, binding: `${binding.kind} ${binding.namespace ? `${binding.namespace}/` : ''}${binding.name}` },
            })),
    ),
});
