import { defineRbacRule } from '../analysis.js';

/** Kubescape C-0212: RBAC objects in the default namespace (where objects without a namespace land). */
export const defaultNamespace = defineRbacRule({
  id: 'RBAC_DEFAULT_NAMESPACE',
  severity: 'low',
  title: 'Role or RoleBinding in the default namespace',
  description: 'A Role or RoleBinding lives in `default` (or has no namespace, so `kubectl apply` puts it there): permissions meant for one application apply to everything else deployed without a namespace. Kubescape C-0212.',
  remediation: 'Move the application, its Roles and RoleBindings to a namespace of its own.',
  frameworks: { 'nist-800-53': ['CM-2', 'AC-6'], kubescape: ['C-0212'] },
  messages: { inDefault: "{kind} {name} is in the 'default' namespace" },
  detect: (context) => [
    ...context.model.input.roles.filter((r) => r.id.kind === 'Role' && r.id.namespace === 'default').map((r) => ({ resource: r.ref, ...(r.location ? { location: r.location } : {}), messageId: 'inDefault', data: { kind: 'Role', name: r.id.name } })),
    ...context.model.input.bindings.filter((b) => b.kind === 'RoleBinding' && b.namespace === 'default').map((b) => ({ resource: b.ref, ...(b.location ? { location: b.location } : {}), messageId: 'inDefault', data: { kind: 'RoleBinding', name: b.name } })),
  ],
});
