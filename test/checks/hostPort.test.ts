import { hostPort } from '../../src/checks/workload/hostPort.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(hostPort, {
  valid: [
    {
      name: 'container ports only, hostPort 0',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: app
    image: nginx:1.27
    ports: [{containerPort: 8080}, {containerPort: 8081, hostPort: 0}]
`,
    },
  ],
  invalid: [
    {
      name: 'hostPort on a container and an init container',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
  - name: init
    image: busybox:1.36
    ports:
    - {containerPort: 9000, hostPort: 9000}
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - containerPort: 80
      hostPort: 80
`,
      expected: [
        { messageId: 'hostPort', data: { container: 'init', port: '9000' }, path: '/spec/initContainers/0/ports/0/hostPort', line: 9, column: 29 },
        { messageId: 'hostPort', data: { container: 'app', port: '80' }, path: '/spec/containers/0/ports/0/hostPort', line: 15, column: 7 },
      ],
    },
  ],
});
