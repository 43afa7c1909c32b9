import { imagePullPolicyStale } from '../../src/checks/workload/imagePullPolicyStale.js';
import { testCheck } from '../harness/checkTester.js';

// Kubernetes "Images": imagePullPolicy defaults to Always for :latest or no tag, to IfNotPresent
// otherwise; kube-score container-image-pull-policy wants Always. Judged for moving tags only.
testCheck(imagePullPolicyStale, {
  valid: [
    {
      name: 'moving tags pulled Always (written or defaulted), version tags and digests with any policy',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - {name: a, image: "nginx:latest"}
  - {name: b, image: nginx}
  - {name: c, image: "vllm/vllm-openai:nightly", imagePullPolicy: Always}
  - {name: d, image: "vllm/vllm-openai:v0.6.3", imagePullPolicy: IfNotPresent}
  - {name: e, image: "nginx:latest@sha256:0000000000000000000000000000000000000000000000000000000000000000", imagePullPolicy: Never}
  - {name: f, image: "\${IMAGE}", imagePullPolicy: IfNotPresent}
`,
    },
  ],
  invalid: [
    {
      name: 'latest with IfNotPresent, no tag with Never, nightly without a policy (defaults to IfNotPresent)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - {name: a, image: "nginx:latest", imagePullPolicy: IfNotPresent}
  - {name: b, image: nginx, imagePullPolicy: Never}
  - {name: c, image: "vllm/vllm-openai:nightly"}
`,
      expected: [
        { messageId: 'written', data: { container: 'a', tag: 'latest', policy: 'IfNotPresent' }, path: '/spec/containers/0/imagePullPolicy', line: 6, column: 38 },
        { messageId: 'written', data: { container: 'b', tag: 'latest', policy: 'Never' }, path: '/spec/containers/1/imagePullPolicy', line: 7, column: 29 },
        { messageId: 'defaulted', data: { container: 'c', tag: 'nightly' }, path: '/spec/containers/2/image', line: 8, column: 15 },
      ],
    },
  ],
});
