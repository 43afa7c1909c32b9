import { resourceLimitsMissing } from '../../src/checks/workload/resourceLimitsMissing.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(resourceLimitsMissing, {
  valid: [
    {
      name: 'pod-level limits (KEP-2837 PodLevelResources) cap the containers that set none, init containers included',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire-pod-level}
spec:
  resources:
    limits: {cpu: "4", memory: 16Gi}
  initContainers:
  - {name: fetch, image: "alpine:3.20"}
  containers:
  - {name: server, image: "vllm/vllm-openai:v0.6.3"}
  - {name: sidecar, image: "envoyproxy/envoy:v1.31.0", resources: {limits: {cpu: 500m}}}
`,
    },
    {
      name: 'cpu and memory limits everywhere',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      limits: {cpu: "1", memory: 1Gi}
`,
    },
    {
      name: 'memory only, when params ask for memory only',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - {name: app, image: nginx:1.27, resources: {limits: {memory: 1Gi}}}
`,
      params: { resources: ['memory'] },
    },
  ],
  invalid: [
    {
      name: 'a pod-level limit covers only the resource it names; pod-level requests bound nothing',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      resources:
        limits: {memory: 16Gi}
        requests: {cpu: "2"}
      containers:
      - {name: server, image: "vllm/vllm-openai:v0.6.3"}
`,
      expected: [{ messageId: 'missing', data: { container: 'server', missing: 'cpu' }, path: '/spec/template/spec/containers/0', line: 11, column: 9 }],
    },
    {
      name: 'no resources, requests only, one limit missing',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: none
    image: nginx:1.27
  - name: requests
    image: nginx:1.27
    resources:
      requests: {cpu: "1"}
  - name: cpu-only
    image: nginx:1.27
    resources:
      limits:
        cpu: "1"
`,
      expected: [
        { messageId: 'missing', data: { container: 'none', missing: 'cpu and memory' }, path: '/spec/containers/0', line: 6, column: 5 },
        { messageId: 'missing', data: { container: 'requests', missing: 'cpu and memory' }, path: '/spec/containers/1/resources', line: 10, column: 5 },
        { messageId: 'missing', data: { container: 'cpu-only', missing: 'memory' }, path: '/spec/containers/2/resources/limits', line: 15, column: 7 },
      ],
    },
  ],
});
