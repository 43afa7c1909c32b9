import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const portForwardToMlAdminPort: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_PORT_FORWARD_TO_ML_ADMIN_PORT',
    family: 'auditlog',
    severity: 'high',
    title: 'Port-forward to an ML admin port (Ray dashboard, Jupyter, TorchServe management, MLflow)',
    description:
      'A pods/portforward request names a port that runs code or changes models: the Ray dashboard and job API (8265), the Ray client server (10001), TorchServe\'s management API (8081, 7071), a Jupyter server (8888) or MLflow\'s tracking server and registry (5000), from the model-server table. The WebSocket port-forward of kubectl ≥ 1.30 puts the ports in the request URI; the older SPDY form does not, and is reported by the workload rule instead.',
    remediation: 'Use authenticated access to these APIs (Ray token auth, Jupyter tokens, TorchServe token authorization) and keep pods/portforward out of everyday roles.',
    frameworks: { 'mitre-attack': ['T1572'], 'mitre-atlas': ['AML.T0040', 'AML.T0050'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Port-forward To ML Admin Port',
    desc: 'Detect port-forwarding to a port that administers a model server or runs code on it.',
    condition: 'palisade_stream_stage and ka.target.resource = pods and ka.target.subresource = portforward and ka.uri.param[ports] in (palisade_ml_admin_ports) and palisade_not_denied',
    output: 'Port-forward to ML admin port (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace port=%ka.uri.param[ports])',
    priority: 'Error',
    tags: ['k8s', 'ml', 'mitre_lateral_movement'],
  },
};
