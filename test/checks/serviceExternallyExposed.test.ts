import { serviceExternallyExposed } from '../../src/checks/cluster/serviceExternallyExposed.js';
import { testCheck } from '../harness/checkTester.js';

// Cases from the Kubernetes Service types (ClusterIP, NodePort, LoadBalancer, ExternalName) and the
// peers' "service type" checks (kube-linter exposed-services, kube-score service-type): the type
// decides the exposure, whatever runs behind it.
const redis = `apiVersion: apps/v1
kind: Deployment
metadata: {name: redis, namespace: data}
spec:
  template:
    metadata: {labels: {app: redis}}
    spec:
      containers:
      - {name: redis, image: redis:7.2, ports: [{containerPort: 6379}]}
`;

const vllm = `apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: data}
spec:
  template:
    metadata: {labels: {app: llm}}
    spec:
      containers:
      - {name: vllm, image: vllm/vllm-openai:v0.6.3}
`;

testCheck(serviceExternallyExposed, {
  valid: [
    {
      name: 'ClusterIP (written and defaulted), headless and ExternalName Services stay inside',
      yaml: `${redis}---
apiVersion: v1
kind: Service
metadata: {name: dont-fire, namespace: data}
spec: {selector: {app: redis}, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: dont-fire-ip, namespace: data}
spec: {type: ClusterIP, clusterIP: None, selector: {app: redis}, ports: [{port: 6379}]}
---
apiVersion: v1
kind: Service
metadata: {name: dont-fire-external, namespace: data}
spec: {type: ExternalName, externalName: db.example.com}
`,
    },
    {
      name: 'a LoadBalancer to the vLLM inference port is EXPOSED_MODEL_SERVER\'s finding, not a second one',
      yaml: `${vllm}---
apiVersion: v1
kind: Service
metadata: {name: dont-fire-llm, namespace: data}
spec: {type: LoadBalancer, selector: {app: llm}, ports: [{port: 8000}]}
`,
    },
  ],
  invalid: [
    {
      name: 'NodePort in front of Redis; LoadBalancer whose selector matches nothing in the input',
      yaml: `${redis}---
apiVersion: v1
kind: Service
metadata: {name: redis-public, namespace: data}
spec:
  type: NodePort
  selector: {app: redis}
  ports: [{port: 6379, nodePort: 30079}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: data}
spec:
  type: LoadBalancer
  selector: {app: kuberay-apiserver}
  ports: [{port: 8888}, {port: 8887}]
`,
      expected: [
        { messageId: 'workloads', data: { type: 'NodePort', service: 'redis-public', ports: '6379', workloads: 'Deployment "redis"' }, path: '/spec/type', line: 15, column: 3 },
        { messageId: 'noWorkload', data: { type: 'LoadBalancer', service: 'api', ports: '8888, 8887' }, path: '/spec/type', line: 23, column: 3 },
      ],
    },
    {
      name: 'a Service in another namespace does not select the workload',
      yaml: `${redis}---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: web}
spec: {type: LoadBalancer, selector: {app: redis}, ports: [{port: 6379}]}
`,
      expected: [{ messageId: 'noWorkload', data: { type: 'LoadBalancer', service: 'elsewhere', ports: '6379' }, path: '/spec/type', line: 14, column: 8 }],
    },
    {
      name: 'a LoadBalancer to the vLLM metrics-only port is exposure, not a model-server finding',
      yaml: `${vllm}---
apiVersion: v1
kind: Service
metadata: {name: llm-metrics, namespace: data}
spec: {type: LoadBalancer, selector: {app: llm}, ports: [{port: 9400}]}
`,
      expected: [{ messageId: 'workloads', data: { type: 'LoadBalancer', service: 'llm-metrics', ports: '9400', workloads: 'Deployment "llm"' }, path: '/spec/type', line: 14, column: 8 }],
    },
  ],
});
