import { imageTagMutable } from '../../src/checks/workload/imageTagMutable.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(imageTagMutable, {
  valid: [
    {
      name: 'version tags, digests and templated images',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - {name: a, image: nginx:1.27}
  - {name: b, image: "ghcr.io/org/server@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
  - {name: c, image: "\${REGISTRY}/server"}
  - {name: d, image: "localhost:5000/server:v2"}
  - {name: e, image: "nginx:mainline-alpine3.20-slim-1.27"}
  - {name: f, image: "nvidia/cuda:12.4.1-devel-ubuntu22.04"}
`,
    },
    {
      name: 'a KServe predictor without an image gets it from the runtime',
      yaml: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: dont-fire}
spec:
  predictor:
    model: {modelFormat: {name: sklearn}, storageUri: gs://b/m}
`,
    },
  ],
  invalid: [
    {
      name: 'latest and no tag, init containers included',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: fetch
    image: amazon/aws-cli
  containers:
  - name: app
    image: vllm/vllm-openai:latest
  - name: registry-port
    image: localhost:5000/server
  - name: gpu
    image: tensorflow/serving:latest-gpu
  - name: nightly
    image: vllm/vllm-openai:nightly
`,
      expected: [
        { messageId: 'missingTag', data: { container: 'fetch', image: 'amazon/aws-cli' }, path: '/spec/initContainers/0/image', line: 7, column: 5 },
        { messageId: 'latest', data: { container: 'app', image: 'vllm/vllm-openai:latest', tag: 'latest' }, path: '/spec/containers/0/image', line: 10, column: 5 },
        { messageId: 'missingTag', path: '/spec/containers/1/image', line: 12, column: 5 },
        { messageId: 'latest', data: { container: 'gpu', image: 'tensorflow/serving:latest-gpu', tag: 'latest-gpu' }, path: '/spec/containers/2/image', line: 14, column: 5 },
        { messageId: 'latest', data: { container: 'nightly', image: 'vllm/vllm-openai:nightly', tag: 'nightly' }, path: '/spec/containers/3/image', line: 16, column: 5 },
      ],
    },
  ],
});
