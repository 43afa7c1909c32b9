import { memoryEmptyDirUnbounded } from '../../src/checks/workload/memoryEmptyDirUnbounded.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(memoryEmptyDirUnbounded, {
  valid: [
    {
      name: 'sized /dev/shm and a disk-backed emptyDir',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers: [{name: app, image: nginx:1.27}]
  volumes:
  - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2Gi}}
  - {name: tmp, emptyDir: {}}
`,
    },
  ],
  invalid: [
    {
      name: 'unbounded /dev/shm for tensor parallelism',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    volumeMounts:
    - {name: dshm, mountPath: /dev/shm}
  volumes:
  - name: dshm
    emptyDir:
      medium: Memory
`,
      expected: [{ messageId: 'unbounded', data: { volume: 'dshm', mounted: ' mounted at /dev/shm' }, path: '/spec/volumes/0/emptyDir', line: 12, column: 5 }],
    },
  ],
});
