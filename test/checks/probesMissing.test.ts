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
    {
      name: 'bare Pods that run to completion (restartPolicy Never, OnFailure) are not judged',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: once}
spec:
  restartPolicy: Never
  containers:
  - {name: vllm, image: vllm/vllm-openai:v0.6.3}
---
apiVersion: v1
kind: Pod
metadata: {name: retry}
spec:
  restartPolicy: OnFailure
  containers:
  - {name: api, image: example/api:1.0, ports: [{containerPort: 8080}]}
`,
    },
    {
      name: 'the Kubernetes docs sidecar example: an app and a restartable init container, neither a server nor declaring ports',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp
  labels: {app: myapp}
spec:
  replicas: 1
  selector:
    matchLabels: {app: myapp}
  template:
    metadata:
      labels: {app: myapp}
    spec:
      containers:
        - name: myapp
          image: alpine:latest
          command: ['sh', '-c', 'while true; do echo "logging" >> /opt/logs.txt; sleep 1; done']
          volumeMounts:
            - name: data
              mountPath: /opt
      initContainers:
        - name: logshipper
          image: alpine:latest
          restartPolicy: Always
          command: ['sh', '-c', 'tail -F /opt/logs.txt']
          volumeMounts:
            - name: data
              mountPath: /opt
      volumes:
        - name: data
          emptyDir: {}
`,
    },
    {
      name: 'a bare Pod server with both probes (the docs liveness-HTTP probe shape); a plain init container that declares a port is not probed',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: ok}
spec:
  initContainers:
  - {name: fetch, image: example/fetch:1.0, ports: [{containerPort: 9000}]}
  containers:
  - name: ollama
    image: ollama/ollama:0.3.12
    livenessProbe:
      httpGet: {path: /, port: 11434}
      initialDelaySeconds: 3
      periodSeconds: 3
    readinessProbe:
      httpGet: {path: /, port: 11434}
`,
    },
    {
      name: 'a server image whose written command runs no server (a Ray client pod running a shell loop) is not a server',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: ray-pod}
spec:
  containers:
  - name: ray-container
    image: rayproject/ray:2.52.0
    command: ["/bin/bash", "-c", "--"]
    args: ["while true; do sleep 30; done;"]
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
    {
      name: 'bare Pods: default restartPolicy and Always; servers recognised by image and by command line without ports',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: llm}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    args: [--model, facebook/opt-125m]
---
apiVersion: v1
kind: Pod
metadata: {name: tracking}
spec:
  restartPolicy: Always
  containers:
  - name: mlflow
    image: python:3.12-slim
    command: [mlflow, server, --host, 0.0.0.0]
    readinessProbe: {httpGet: {path: /health, port: 5000}}
`,
      expected: [
        { messageId: 'missingBoth', data: { container: 'vllm' }, path: '/spec/containers/0', line: 6, column: 5 },
        { messageId: 'missingLiveness', data: { container: 'mlflow' }, path: '/spec/containers/0', line: 16, column: 5 },
      ],
    },
    {
      name: 'a notebook server without ports and a restartable init container (sidecar) that declares a port',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: nb}
spec:
  template:
    spec:
      initContainers:
      - name: proxy
        image: example/auth-proxy:2.0
        restartPolicy: Always
        ports: [{containerPort: 4180}]
        livenessProbe: {tcpSocket: {port: 4180}}
      containers:
      - name: notebook
        image: quay.io/jupyter/base-notebook:2024-07-29
`,
      expected: [
        { messageId: 'missingReadiness', data: { container: 'proxy' }, path: '/spec/template/spec/initContainers/0', line: 8, column: 9 },
        { messageId: 'missingBoth', data: { container: 'notebook' }, path: '/spec/template/spec/containers/0', line: 14, column: 9 },
      ],
    },
    {
      name: 'a written command that starts the server (through a shell) keeps it a server',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: tgi}
spec:
  template:
    spec:
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.4.0
        command: [/bin/sh, -c, "text-generation-launcher --model-id /data/model"]
        readinessProbe: {httpGet: {path: /health, port: 80}}
`,
      expected: [{ messageId: 'missingLiveness', data: { container: 'tgi' }, path: '/spec/template/spec/containers/0', line: 8, column: 9 }],
    },
  ],
});
