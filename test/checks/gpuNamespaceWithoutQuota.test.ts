import { gpuNamespaceWithoutQuota } from '../../src/checks/cluster/gpuNamespaceWithoutQuota.js';
import { testCheck } from '../harness/checkTester.js';

const gpuJob = (namespace: string): string => `apiVersion: batch/v1
kind: Job
metadata: {name: train, namespace: ${namespace}}
spec:
  template:
    spec:
      containers:
      - name: train
        image: nvcr.io/nvidia/pytorch:24.01-py3
        resources: {limits: {nvidia.com/gpu: 8}}
`;

testCheck(gpuNamespaceWithoutQuota, {
  valid: [
    {
      name: 'quota in the namespace; namespace without GPU workloads',
      yaml: `${gpuJob('train')}---
apiVersion: v1
kind: ResourceQuota
metadata: {name: gpus, namespace: train}
spec:
  hard: {requests.nvidia.com/gpu: "8"}
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire, namespace: web}
spec:
  containers: [{name: app, image: nginx:1.27}]
`,
    },
  ],
  invalid: [
    {
      name: 'GPU job, quota only in another namespace',
      yaml: `${gpuJob('research')}---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: other}
spec:
  limits: [{type: Container, default: {cpu: "1"}}]
`,
      expected: [{ messageId: 'noQuota', data: { namespace: 'research' }, path: '/metadata/namespace', line: 3, column: 25 }],
    },
  ],
});
