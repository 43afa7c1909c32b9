import { readOnlyRootFilesystem } from '../../src/checks/workload/readOnlyRootFilesystem.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(readOnlyRootFilesystem, {
  valid: [
    {
      name: 'every container read-only, init container included',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  initContainers:
  - name: fetch
    image: busybox:1.36
    securityContext: {readOnlyRootFilesystem: true}
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      readOnlyRootFilesystem: true
`,
    },
    {
      name: 'ephemeral debug containers are not judged',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - {name: app, image: nginx:1.27, securityContext: {readOnlyRootFilesystem: true}}
  ephemeralContainers:
  - {name: debug, image: busybox:1.36}
`,
    },
  ],
  invalid: [
    {
      name: 'missing, with the writable paths of a recognised model server',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: ts}
spec:
  template:
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.12.0-cpu
`,
      expected: [{ messageId: 'missing', data: { container: 'torchserve', hint: '; TorchServe needs /home/model-server/tmp, /home/model-server/logs, /home/model-server/model-store writable' }, path: '/spec/template/spec/containers/0', line: 8, column: 9 }],
    },
    {
      name: 'explicitly false points at the field',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: nginx:1.27
    securityContext:
      runAsNonRoot: true
      readOnlyRootFilesystem: false
`,
      expected: [{ messageId: 'disabled', path: '/spec/containers/0/securityContext/readOnlyRootFilesystem', line: 10, column: 7 }],
    },
    {
      name: 'a pod-level readOnlyRootFilesystem is ignored by Kubernetes and does not count',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  securityContext:
    readOnlyRootFilesystem: true
  containers:
  - name: app
    image: nginx:1.27
`,
      expected: [{ messageId: 'podLevelIgnored', path: '/spec/securityContext/readOnlyRootFilesystem', line: 6, column: 5 }],
    },
    {
      name: 'missing field inside an existing securityContext points at the securityContext',
      yaml: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: gs://bucket/iris
      securityContext:
        runAsNonRoot: true
`,
      expected: [{ messageId: 'missing', data: { container: 'kserve-container', hint: '; KServe Python runtime needs /tmp writable' }, path: '/spec/predictor/model/securityContext', line: 9, column: 7 }],
    },
  ],
});
