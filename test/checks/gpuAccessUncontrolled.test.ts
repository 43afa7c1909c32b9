import { gpuAccessUncontrolled } from '../../src/checks/workload/gpuAccessUncontrolled.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(gpuAccessUncontrolled, {
  valid: [
    {
      name: 'GPU through the device plugin, and a privileged container that is not about GPUs',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    resources:
      requests: {nvidia.com/gpu: 1}
      limits: {nvidia.com/gpu: 1}
    env:
    - {name: NVIDIA_VISIBLE_DEVICES, value: "0"}
  - name: net-admin
    image: busybox:1.36
    securityContext: {privileged: true}
`,
    },
  ],
  invalid: [
    {
      name: 'request without limit, visible devices all, privileged for the GPU',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: train
    image: nvcr.io/nvidia/pytorch:24.01-py3
    resources:
      requests:
        nvidia.com/gpu: 2
  - name: hog
    image: rayproject/ray:2.9.0-gpu
    env:
    - name: NVIDIA_VISIBLE_DEVICES
      value: all
    securityContext:
      privileged: true
`,
      expected: [
        { messageId: 'requestWithoutLimit', data: { container: 'train', resource: 'nvidia.com/gpu' }, path: '/spec/containers/0/resources/requests/nvidia.com~1gpu', line: 10, column: 9 },
        { messageId: 'visibleDevicesAll', data: { container: 'hog', env: 'NVIDIA_VISIBLE_DEVICES' }, path: '/spec/containers/1/env/0', line: 14, column: 7 },
        { messageId: 'privileged', path: '/spec/containers/1/securityContext/privileged', line: 17, column: 7 },
      ],
    },
  ],
});
