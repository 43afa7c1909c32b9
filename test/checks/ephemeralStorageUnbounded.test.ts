import { ephemeralStorageUnbounded } from '../../src/checks/workload/ephemeralStorageUnbounded.js';
import { testCheck } from '../harness/checkTester.js';

// Cases from the Kubernetes docs, "Resource Management for Pods and Containers", section "Local ephemeral storage".
testCheck(ephemeralStorageUnbounded, {
  valid: [
    {
      name: 'the docs example: a request and a limit on both containers, an emptyDir with a sizeLimit',
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
        ephemeral-storage: "2Gi"
      limits:
        ephemeral-storage: "4Gi"
    volumeMounts:
    - name: ephemeral
      mountPath: "/tmp"
  - name: log-aggregator
    image: images.my-company.example/log-aggregator:v6
    resources:
      requests:
        ephemeral-storage: "2Gi"
      limits:
        ephemeral-storage: "4Gi"
    volumeMounts:
    - name: ephemeral
      mountPath: "/tmp"
  volumes:
    - name: ephemeral
      emptyDir:
        sizeLimit: 500Mi
`,
    },
    {
      name: 'a limit without a request (the request defaults to it); an ephemeral container is not judged',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: limit-only}
spec:
  containers:
  - {name: app, image: nginx:1.27, resources: {limits: {ephemeral-storage: 10Gi}}}
  ephemeralContainers:
  - {name: debug, image: busybox:1.36}
`,
    },
  ],
  invalid: [
    {
      name: 'a pod-level ephemeral-storage limit does not count: pod-level resources take cpu, memory and hugepages only',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  resources:
    limits: {cpu: "2", memory: 8Gi, ephemeral-storage: 20Gi}
  containers:
  - {name: server, image: "vllm/vllm-openai:v0.6.3"}
`,
      expected: [{ messageId: 'missing', data: { container: 'server' }, path: '/spec/containers/0', line: 8, column: 5 }],
    },
    {
      name: 'the docs cpu/memory example sets no ephemeral-storage; a request alone bounds nothing',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  template:
    spec:
      initContainers:
      - name: download
        image: example/model-downloader:1.0
        resources:
          requests: {ephemeral-storage: 50Gi}
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.6.3
        resources:
          requests: {memory: "64Mi", cpu: "250m"}
          limits: {memory: "128Mi", cpu: "500m"}
      - name: sidecar
        image: fluent/fluent-bit:3.1
`,
      expected: [
        { messageId: 'requestOnly', data: { container: 'download' }, path: '/spec/template/spec/initContainers/0/resources', line: 10, column: 9 },
        { messageId: 'missing', data: { container: 'vllm' }, path: '/spec/template/spec/containers/0/resources/limits', line: 17, column: 11 },
        { messageId: 'missing', data: { container: 'sidecar' }, path: '/spec/template/spec/containers/1', line: 18, column: 9 },
      ],
    },
  ],
});
