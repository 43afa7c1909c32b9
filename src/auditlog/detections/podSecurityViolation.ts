import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const podSecurityViolation: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_POD_SECURITY_VIOLATION',
    family: 'auditlog',
    severity: 'medium',
    title: 'Pod Security admission recorded a violation',
    description:
      'The API server\'s Pod Security admission annotated the request with `pod-security.kubernetes.io/audit-violations`: the pod or workload breaks the namespace\'s `audit` level and was admitted anyway (the `enforce` level is lower). GPU and model-server pods often run privileged or with host paths; this is where it shows in the log. The annotation is present at every audit level.',
    remediation: 'Fix the pod spec (palisade harden writes the change) or raise the namespace\'s enforce level once nothing violates it.',
    frameworks: { 'mitre-attack': ['T1610', 'T1611'], 'mitre-atlas': ['AML.T0105'], pss: ['baseline', 'restricted'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Pod Security Violation Admitted',
    desc: 'Detect requests that Pod Security admission admitted with audit violations.',
    condition: 'palisade_complete and ka.verb in (create, update, patch) and ka.security.pod.violations exists',
    output: 'Pod Security audit violation admitted (user=%ka.user.name resource=%ka.target.resource name=%ka.target.name ns=%ka.target.namespace violations=%ka.security.pod.violations)',
    priority: 'Warning',
    tags: ['k8s', 'pss'],
  },
};
