import { probesMissing } from '../../src/checks/workload/probesMissing.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(probesMissing, {
  valid: [
    {
      name: 'model server with both probes; a sidecar without ports; a Job',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: dont-fire}
spec:
  template:
    spec:
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.4.0
        readinessProbe: {httpGet: {path: /health, port: 80}}
        livenessProbe: {tcpSocket: {port: 80}}
      - name: log-shipper
        image: fluent/fluent-bit:3.1
---
apiVersion: batch/v1
kind: Job
metadata: {name: dont-fire-job}
spec:
  template:
    spec:
      containers:
      - {name: batch, image: vllm/vllm-openai:v0.6.3, ports: [{containerPort: 8000}]}
`,
    },
  ],
  invalid: [
    {
      name: 'model server without probes (no ports declared), and a port-declaring container missing one',
      yaml: `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec:
  template:
    spec:
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.6.3
      - name: api
        image: example/api:1.0
        ports: [{containerPort: 8080}]
        readinessProbe: {httpGet: {path: /ready, port: 8080}}
`,
      expected: [
        { messageId: 'missingBoth', data: { container: 'vllm' }, path: '/spec/template/spec/containers/0', line: 8, column: 9 },
        { messageId: 'missingLiveness', data: { container: 'api' }, path: '/spec/template/spec/containers/1', line: 10, column: 9 },
      ],
    },
  ],
});
