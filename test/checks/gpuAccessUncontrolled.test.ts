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
    {
      // NVIDIA/gpu-operator assets/state-device-plugin: privileged, NVIDIA_VISIBLE_DEVICES=all, by design
      name: 'GPU operator device plugin, DCGM exporter and validator DaemonSets (mirrored registry too)',
      yaml: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: nvidia-device-plugin-daemonset, namespace: gpu-operator}
spec:
  template:
    metadata: {labels: {app: nvidia-device-plugin-daemonset}}
    spec:
      initContainers:
      - name: toolkit-validation
        image: nvcr.io/nvidia/cloud-native/gpu-operator-validator:v24.9.2
        securityContext: {privileged: true}
      containers:
      - name: nvidia-device-plugin
        image: registry.example.com/mirror/k8s-device-plugin:v0.17.0
        env:
        - {name: NVIDIA_VISIBLE_DEVICES, value: all}
        securityContext: {privileged: true}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: dcgm-exporter}
spec:
  template:
    spec:
      containers:
      - name: exporter
        image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.9-3.6.1-ubuntu22.04
        env:
        - {name: NVIDIA_VISIBLE_DEVICES, value: all}
        securityContext: {privileged: true}
`,
    },
  ],
  invalid: [
    {
      name: 'an upstream agent label without its image, and an image whose name only contains an agent name, are no agent',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: train}
spec:
  template:
    metadata: {labels: {app: nvidia-device-plugin-daemonset}}
    spec:
      containers:
      - name: trainer
        image: corp.example.com/ml/not-k8s-device-plugin:1.0
        env: [{name: NVIDIA_VISIBLE_DEVICES, value: all}]
`,
      expected: [{ messageId: 'visibleDevicesAll', path: '/spec/template/spec/containers/0/env/0', line: 11, column: 15 }],
    },
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
