import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const copyFromMlWorkload: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_COPY_FROM_ML_WORKLOAD',
    family: 'auditlog',
    severity: 'high',
    title: 'kubectl cp (tar over exec) on a model server, notebook or Ray head',
    description:
      '`kubectl cp` runs `tar` through pods/exec (`command=tar&command=cf&command=-` copies out of the pod, `xf` copies in). On an ML pod that copies model weights, datasets or notebooks out, or plants files in the model directory the server loads. The command is read from the exec request URI, which every audit level records.',
    remediation: 'Find out what was copied and by whom; model artifacts belong in the model registry or object store, reached with their own access control, not copied out of serving pods.',
    frameworks: { 'mitre-attack': ['T1609', 'T1005'], 'mitre-atlas': ['AML.T0035', 'AML.T0025'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'Copy From Or To ML Workload',
    desc: 'Detect kubectl cp (tar through exec) on a model server, notebook or Ray head pod.',
    condition: 'palisade_stream_stage and ka.target.resource = pods and ka.target.subresource = exec and ka.verb in (create, get) and ka.uri.param[command] = tar and palisade_not_denied and palisade_ml_workload and not palisade_known_ml_exec',
    output: 'Files copied from or to ML workload with tar (user=%ka.user.name pod=%ka.target.name ns=%ka.target.namespace container=%ka.uri.param[container] uri=%ka.uri)',
    priority: 'Error',
    tags: ['k8s', 'ml', 'mitre_exfiltration'],
  },
};
