import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const portForwardToMlWorkload: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_PORT_FORWARD_TO_ML_WORKLOAD',
    family: 'auditlog',
    severity: 'medium',
    title: 'Port-forward to a model server, notebook or Ray head',
    description:
      'A pods/portforward request reached an ML pod. Port-forwarding goes around NetworkPolicies, Services and the inference gateway: whoever holds it talks to the server\'s ports directly, admin ports included.',
    remediation: 'Reach model servers through their gateway with authentication; keep pods/portforward out of roles that reach ML namespaces.',
    frameworks: { 'mitre-attack': ['T1572'], 'mitre-atlas': ['AML.T0040'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Port-forward To ML Workload',
    desc: 'Detect port-forwarding to a model server, notebook or Ray head pod.',
    condition: 'palisade_stream_stage and ka.target.resource = pods and ka.target.subresource = portforward and palisade_not_denied and palisade_ml_workload',
    output: 'Port-forward to ML workload (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace ports=%ka.uri.param[ports] verb=%ka.verb)',
    priority: 'Warning',
    tags: ['k8s', 'ml', 'mitre_lateral_movement'],
  },
};
