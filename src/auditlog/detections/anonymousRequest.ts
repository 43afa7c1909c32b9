import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const anonymousRequest: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_ANONYMOUS_REQUEST',
    family: 'auditlog',
    severity: 'high',
    title: 'Anonymous request served beyond the health endpoints',
    description:
      'A request by system:anonymous (or any user in system:unauthenticated) succeeded on something other than /healthz, /livez, /readyz or /version. Anonymous access to the API server is how exposed clusters are found and taken (RBAC bindings to system:anonymous or system:unauthenticated). Falco\'s `Anonymous Request Allowed` needs the authorization annotation to say allow; this rule also takes the response code, so events without annotations are judged too.',
    remediation: 'Start the API server with --anonymous-auth=false (or an AuthenticationConfiguration that limits anonymous to the health paths) and remove bindings to system:anonymous and system:unauthenticated.',
    frameworks: { 'mitre-attack': ['T1078', 'T1190'], 'mitre-atlas': ['AML.T0049'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Anonymous Request Served',
    desc: 'Detect anonymous requests that succeeded beyond the health endpoints.',
    condition: 'palisade_complete and palisade_anonymous and (ka.auth.decision = allow or palisade_succeeded) and palisade_not_denied and not palisade_health_request',
    output: 'Anonymous request served (user=%ka.user.name verb=%ka.verb uri=%ka.uri resp=%ka.response.code reason=%ka.auth.reason)',
    priority: 'Error',
    tags: ['k8s', 'mitre_initial_access'],
  },
};
