import { defineRbacRule } from '../analysis.js';

/** Kubescape C-0232 (CIS EKS 4.1.8 family): a manual review per namespace that defines Roles. */
export const eksReviewRoles = defineRbacRule({
  id: 'RBAC_REVIEW_NAMESPACE_ROLES',
  severity: 'info',
  title: 'Namespace defines Roles: review who they are granted to',
  description: 'A namespace defines Roles. On EKS, the users they are bound to should come from the cloud IAM authenticator (aws-auth or access entries), not static credentials; everywhere, the Roles deserve a review. One finding per namespace. Kubescape C-0232.',
  remediation: 'Review the Roles of the namespace and map the users bound to them through the cloud identity provider.',
  frameworks: { 'nist-800-53': ['AC-2', 'IA-2'], kubescape: ['C-0232'] },
  messages: { review: "For namespace '{namespace}', review its Roles ({roles}) and make sure their users are managed by the cloud IAM authenticator" },
  detect: (context) => {
    const byNs = new Map<string, typeof context.model.input.roles>();
    for (const r of context.model.input.roles) if (r.id.kind === 'Role') byNs.set(r.id.namespace!, [...(byNs.get(r.id.namespace!) ?? []), r]);
    return [...byNs.entries()].sort().map(([namespace, roles]) => ({ resource: roles[0]!.ref, ...(roles[0]!.location ? { location: roles[0]!.location } : {}), messageId: 'review', data: { namespace, roles: roles.map((r) => r.id.name).join(', ') } }));
  },
});
