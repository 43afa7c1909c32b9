import { exposedModelServer } from '../../src/checks/cluster/exposedModelServer.js';
import { testCheck } from '../harness/checkTester.js';

const vllm = `apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  template:
    metadata: {labels: {app: llm}}
    spec:
      containers:
      - {name: vllm, image: vllm/vllm-openai:v0.6.3}
`;

testCheck(exposedModelServer, {
  valid: [
    {
      name: 'ClusterIP in front of the model server; LoadBalancer in front of something else',
      yaml: `${vllm}---
apiVersion: v1
kind: Service
metadata: {name: llm}
spec:
  selector: {app: llm}
  ports: [{port: 8000}]
---
apiVersion: v1
kind: Service
metadata: {name: gateway}
spec:
  type: LoadBalancer
  selector: {app: gateway}
  ports: [{port: 443, targetPort: 8000}]
`,
    },
  ],
  invalid: [
    {
      name: 'LoadBalancer straight to vLLM (port without targetPort)',
      yaml: `${vllm}---
apiVersion: v1
kind: Service
metadata: {name: llm-public}
spec:
  type: LoadBalancer
  selector: {app: llm}
  ports:
  - port: 8000
`,
      expected: [{ messageId: 'published', data: { type: 'LoadBalancer', service: 'llm-public', server: 'vLLM', port: 8000, workload: 'Deployment "llm"' }, path: '/spec/ports/0', line: 18, column: 5 }],
    },
  ],
});
