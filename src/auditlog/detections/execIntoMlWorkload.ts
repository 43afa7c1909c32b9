import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const execIntoMlWorkload: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_EXEC_INTO_ML_WORKLOAD',
    family: 'auditlog',
    severity: 'high',
    title: 'Exec or attach into a model server, notebook or Ray head',
    description:
      'A `kubectl exec` or `attach` (SPDY `create` or WebSocket `get` on pods/exec or pods/attach) reached a pod that serves or trains models: a KServe predictor, transformer or explainer, a KubeRay head, a notebook, or a pod of a known model server or ML namespace. A shell there holds the model files, the storage credentials the storage initializer used and the service-account token of the serving runtime; on a Ray head it can submit jobs to every node. Falco\'s `Attach/Exec Pod` reports every exec at Notice; this rule singles out the ML ones. The pod is recognised by name and namespace, because an exec event does not carry the image.',
    remediation: 'Confirm who ran the command and why; remove pods/exec and pods/attach from roles that reach ML namespaces, and use ephemeral debug containers under review instead of exec into serving pods.',
    frameworks: { 'mitre-attack': ['T1609'], 'mitre-atlas': ['AML.T0050', 'AML.T0044'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Exec Into ML Workload',
    desc: 'Detect exec or attach into a model server, notebook or Ray head pod.',
    condition: 'palisade_stream_stage and ka.target.resource = pods and ka.target.subresource in (exec, attach) and ka.verb in (create, get) and palisade_not_denied and palisade_ml_workload and not palisade_known_ml_exec',
    output: 'Exec into ML workload (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace action=%ka.target.subresource container=%ka.uri.param[container] command=%ka.uri.param[command] verb=%ka.verb)',
    priority: 'Error',
    tags: ['k8s', 'ml', 'mitre_execution'],
  },
};
