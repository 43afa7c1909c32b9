import { imageNotPinnedByDigest } from '../../src/checks/workload/imageNotPinnedByDigest.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(imageNotPinnedByDigest, {
  valid: [
    {
      name: 'digest-pinned images, and latest/untagged ones (IMAGE_TAG_MUTABLE reports those)',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - {name: a, image: "nginx:1.27@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
  - {name: b, image: nginx:latest}
  - {name: c, image: nginx}
  - {name: d, image: "<your-image>"}
`,
    },
  ],
  invalid: [
    {
      name: 'tag only',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: triton
        image: nvcr.io/nvidia/tritonserver:24.01-py3
`,
      expected: [{ messageId: 'tagOnly', data: { container: 'triton', image: 'nvcr.io/nvidia/tritonserver:24.01-py3' }, path: '/spec/template/spec/containers/0/image', line: 9, column: 9 }],
    },
  ],
});
