import { defineRbacRule, describeGrant } from '../analysis.js';

/** Kubescape C-0262: anything bound to the anonymous user or the unauthenticated group is open to the network. */
export const anonymous = defineRbacRule({
  id: 'RBAC_ANONYMOUS_ACCESS',
  severity: 'high',
  title: 'A binding grants anonymous requests',
  description: 'A binding names the user system:anonymous or the group system:unauthenticated: whatever its role allows, anyone who reaches the API server can do without credentials. Kubescape C-0262.',
  remediation: 'Remove the anonymous subject from the binding; run the API server with --anonymous-auth=false or limit anonymous access to health endpoints.',
  frameworks: { 'nist-800-53': ['AC-14', 'IA-2'], 'mitre-attack': ['T1078.001'], kubescape: ['C-0262'] },
  messages: { bound: '{who} is a subject of {binding}: anonymous requests get its permissions' },
  detect: (context) =>
    context.model.input.bindings.flatMap((binding) =>
      binding.subjects
        .filter((s) => !s.inert && ((s.subject.kind === 'User' && s.subject.name === 'system:anonymous') || (s.subject.kind === 'Group' && s.subject.name === 'system:unauthenticated')))
        .map((s) => {
          const grant = context.model.grants.find((g) => g.binding === binding);
          return { subject: s.subject, resource: binding.ref, ...(s.location ?? binding.location ? { location: (s.location ?? binding.location)! } : {}), messageId: 'bound', data: { who: `${s.subject.kind} ${s.subject.name}`, binding: grant ? describeGrant(grant) : `${binding.kind} ${binding.name}` } };
        }),
    ),
});
