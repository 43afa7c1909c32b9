import { resourceRequestsMissing } from '../../src/checks/workload/resourceRequestsMissing.js';
import { testCheck } from '../harness/checkTester.js';

// Cases from the Kubernetes docs, "Resource Management for Pods and Containers".
testCheck(resourceRequestsMissing, {
  valid: [
    {
      name: 'pod-level requests, or a pod-level limit the pod-level request defaults to (KEP-2837, defaultPodRequests)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire-pod-requests}
spec:
  resources:
    requests: {cpu: "2", memory: 8Gi}
  containers:
  - {name: server, image: "vllm/vllm-openai:v0.6.3"}
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-pod-limits}
spec:
  resources:
    limits: {cpu: "2", memory: 8Gi}
  initContainers:
  - {name: fetch, image: "alpine:3.20"}
  containers:
  - {name: server, image: "vllm/vllm-openai:v0.6.3"}
`,
    },
    {
      name: 'the docs example: requests and limits on both containers',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: frontend
spec:
  containers:
  - name: app
    image: images.my-company.example/app:v4
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
      limits:
        memory: "128Mi"
        cpu: "500m"
  - name: log-aggregator
    image: images.my-company.example/log-aggregator:v6
    resources:
      requests:
        memory: "64Mi"
        cpu: "250m"
      limits:
        memory: "128Mi"
        cpu: "500m"
`,
    },
    {
      name: 'a limit without a request: the request defaults to the limit; an ephemeral container is not judged',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: limits-only}
spec:
  containers:
  - name: app
    image: nginx:1.27
    resources:
      limits: {cpu: "1", memory: 1Gi}
  ephemeralContainers:
  - {name: debug, image: busybox:1.36}
`,
    },
    {
      name: 'memory only, when params ask for memory only',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: mem}
spec:
  containers:
  - {name: app, image: nginx:1.27, resources: {requests: {memory: 1Gi}}}
`,
      params: { resources: ['memory'] },
    },
  ],
  invalid: [
    {
      name: 'pod-level resources name only memory: cpu is still unrequested; ephemeral-storage is no pod-level resource',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources:
    limits: {memory: 8Gi, ephemeral-storage: 20Gi}
  containers:
  - {name: server, image: "vllm/vllm-openai:v0.6.3"}
`,
      expected: [{ messageId: 'missing', data: { container: 'server', missing: 'cpu' }, path: '/spec/containers/0', line: 8, column: 5 }],
    },
    {
      name: 'the docs ephemeral-storage example sets no cpu or memory; an init container with only a cpu request; a null request',
      yaml: `apiVersion: v1
kind: Pod
metadata:
  name: frontend
spec:
  initContainers:
  - name: storage-initializer
    image: kserve/storage-initializer:v0.14.0
    resources:
      requests: {cpu: 100m}
  containers:
  - name: app
    image: images.my-company.example/app:v4
    resources:
      requests:
        ephemeral-storage: "2Gi"
      limits:
        ephemeral-storage: "4Gi"
  - name: log-aggregator
    image: images.my-company.example/log-aggregator:v6
  - name: nulls
    image: nginx:1.27
    resources: {requests: {cpu: null, memory: 1Gi}}
`,
      expected: [
        { messageId: 'missing', data: { container: 'storage-initializer', missing: 'memory' }, path: '/spec/initContainers/0/resources/requests', line: 10, column: 7 },
        { messageId: 'missing', data: { container: 'app', missing: 'cpu and memory' }, path: '/spec/containers/0/resources/requests', line: 15, column: 7 },
        { messageId: 'missing', data: { container: 'log-aggregator', missing: 'cpu and memory' }, path: '/spec/containers/1', line: 19, column: 5 },
        { messageId: 'missing', data: { container: 'nulls', missing: 'cpu' }, path: '/spec/containers/2/resources/requests', line: 23, column: 17 },
      ],
    },
  ],
});
