import { containerPortSensitive } from '../../src/checks/workload/containerPortSensitive.js';
import { testCheck } from '../harness/checkTester.js';

// From kube-linter's documented checks: `ssh-port` (a container exposing port 22) and
// `privileged-ports` (a container port below 1024); port 22 is one finding, as SSH.
testCheck(containerPortSensitive, {
  valid: [
    {
      name: 'unprivileged ports, no ports, a hostPort above 1024 with an unprivileged container port',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: dont-fire}
spec:
  template:
    spec:
      containers:
      - {name: app, image: nginxinc/nginx-unprivileged:1.27, ports: [{containerPort: 8080}, {containerPort: 1024, protocol: UDP}]}
      - {name: worker, image: python:3.12}
      initContainers:
      - {name: init, image: busybox:1.36, ports: [{containerPort: 30022, hostPort: 30022}]}
`,
    },
  ],
  invalid: [
    {
      name: 'SSH on 22 (medium, once) and a privileged port 80 (low), in init and regular containers',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dev-box}
spec:
  initContainers:
  - name: web
    image: nginx:1.27
    ports: [{containerPort: 80}]
  containers:
  - name: notebook
    image: jupyter/base-notebook:2024-01-01
    ports:
    - {containerPort: 8888}
    - {containerPort: 22, name: ssh}
`,
      expected: [
        { messageId: 'privileged', data: { container: 'web', port: 80 }, path: '/spec/initContainers/0/ports/0/containerPort', line: 8, column: 14, severity: 'low' },
        { messageId: 'ssh', data: { container: 'notebook', port: 22 }, path: '/spec/containers/0/ports/1/containerPort', line: 14, column: 8, severity: 'medium' },
      ],
    },
  ],
});
