import { defineRbacRule, permissionHit, type Match } from '../analysis.js';

/** R28. Wildcards grant what exists today and every resource or verb added tomorrow (CRDs included). */
export const wildcard = defineRbacRule({
  id: 'RBAC_WILDCARD',
  severity: 'medium',
  title: 'Subject holds a rule with wildcards',
  description: 'R28. A rule with `*` in verbs, resources or apiGroups grants every resource and verb that exists, and every one installed later (a new CRD, a new subresource). Kubescape C-0187.',
  remediation: 'List the verbs, groups and resources the subject needs.',
  frameworks: { 'nist-800-53': ['AC-6'], 'mitre-attack': ['T1078'], kubescape: ['C-0187'] },
  messages: { can: '{who} holds a rule with `*` in {fields} {scope} via {via}' },
  detect: (context) =>
    context.subjects.flatMap((subject) => {
      const m: Match[] = [];
      const fields = new Set<string>();
      for (const grant of context.grantsOf(subject)) {
        for (const rule of grant.rules) {
          const f = (['verbs', 'apiGroups', 'resources'] as const).filter((k) => rule.rule[k].includes('*'));
          if (f.length === 0) continue;
          f.forEach((x) => fields.add(x));
          m.push({ grant, rule, verb: '*', resource: '*', ...(grant.scope !== undefined ? { scope: grant.scope } : {}) });
        }
      }
      return m.length === 0 ? [] : [permissionHit(context, subject, m, 'can', { fields: [...fields].join(', ') })];
    }),
});
