import { defineRbacRule, describeGrant } from '../analysis.js';

/** Kubescape C-0053: an inventory of service accounts that hold RBAC permissions, with the pods that carry them. */
export const serviceAccountPermissions = defineRbacRule({
  id: 'RBAC_SERVICE_ACCOUNT_PERMISSIONS',
  severity: 'info',
  title: 'Service account holds RBAC permissions',
  description: 'A service account is the subject of a binding to an existing role: its pods can call the API with those permissions. An inventory for review; the rules for each risky permission judge what it holds. Kubescape C-0053.',
  remediation: 'Check that the account needs each binding; set automountServiceAccountToken: false on pods that do not call the API.',
  frameworks: { 'nist-800-53': ['AC-6', 'AC-2'], 'mitre-attack': ['T1552.007'], kubescape: ['C-0053'] },
  messages: { holds: '{who} holds permissions via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      if (subject.kind !== 'ServiceAccount') return [];
      const grants = context.grantsOf(subject);
      if (grants.length === 0) return [];
      const first = grants[0]!;
      return [{ subject, resource: first.binding.ref, ...(first.binding.location ? { location: first.binding.location } : {}), messageId: 'holds', data: { who: `ServiceAccount ${subject.namespace}/${subject.name}`, via: [...new Set(grants.map(describeGrant))].join('; ') }, pods: context.podsOf(subject) }];
    }),
});
