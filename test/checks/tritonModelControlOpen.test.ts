import { tritonModelControlOpen } from '../../src/checks/ml/tritonModelControlOpen.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(tritonModelControlOpen, {
  valid: [
    {
      name: 'model control none, and explicit with the repository API restricted',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.01-py3
    args: ["tritonserver", "--model-repository=/models", "--model-control-mode=none"]
  - name: triton-explicit
    image: nvcr.io/nvidia/tritonserver:24.01-py3
    args: ["tritonserver", "--model-control-mode=explicit", "--http-restricted-api=model-repository:admin-key=s3cret"]
`,
    },
  ],
  invalid: [
    {
      name: 'explicit mode in a shell command line',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: triton
    image: nvcr.io/nvidia/tritonserver:24.01-py3
    command: ["/bin/sh", "-c"]
    args:
    - tritonserver --model-repository=s3://models --model-control-mode=explicit --load-model=resnet
`,
      expected: [{ messageId: 'explicitUnrestricted', data: { container: 'triton' }, path: '/spec/containers/0/args/0', line: 10, column: 7 }],
    },
  ],
});
