import { rayDashboardUnauthenticated } from '../../src/checks/ml/rayDashboardUnauthenticated.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(rayDashboardUnauthenticated, {
  valid: [
    {
      name: 'dashboard on localhost; token auth by env or by KubeRay authOptions; dashboard off; workers never judged',
      yaml: `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: dont-fire}
spec:
  headGroupSpec:
    rayStartParams: {dashboard-host: "127.0.0.1"}
    template:
      spec:
        containers: [{name: ray-head, image: rayproject/ray:2.9.0}]
  workerGroupSpecs:
  - groupName: w
    rayStartParams: {}
    template:
      spec:
        containers: [{name: ray-worker, image: rayproject/ray:2.9.0}]
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: dont-fire-token}
spec:
  headGroupSpec:
    rayStartParams: {dashboard-host: "0.0.0.0"}
    template:
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.52.0
          env: [{name: RAY_AUTH_MODE, value: token}]
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: dont-fire-kuberay-auth}
spec:
  authOptions: {mode: token}
  headGroupSpec:
    rayStartParams: {dashboard-host: 0.0.0.0}
    template:
      spec:
        containers: [{name: ray-head, image: rayproject/ray:2.52.0}]
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: dont-fire-off}
spec:
  headGroupSpec:
    rayStartParams: {include-dashboard: "false"}
    template:
      spec:
        containers: [{name: ray-head, image: rayproject/ray:2.9.0}]
`,
    },
  ],
  invalid: [
    {
      name: 'explicit 0.0.0.0, the KubeRay default (RayService), and a plain pod running ray start',
      yaml: `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: c}
spec:
  headGroupSpec:
    rayStartParams:
      dashboard-host: "0.0.0.0"
    template:
      spec:
        containers: [{name: head, image: rayproject/ray-ml:2.9.0}]
---
apiVersion: ray.io/v1
kind: RayService
metadata: {name: s}
spec:
  rayClusterConfig:
    headGroupSpec:
      rayStartParams: {num-cpus: "0"}
      template:
        spec:
          containers: [{name: head, image: vllm/vllm-openai:v0.6.3}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers:
      - name: ray
        image: rayproject/ray:2.9.0
        command: ["ray", "start", "--head", "--dashboard-host=0.0.0.0", "--block"]
`,
      expected: [
        { messageId: 'allInterfaces', data: { container: 'head', host: '0.0.0.0' }, path: '/spec/headGroupSpec/rayStartParams/dashboard-host', line: 7, column: 7 },
        { messageId: 'kuberayDefault', data: { container: 'head', host: '0.0.0.0' }, path: '/spec/rayClusterConfig/headGroupSpec/rayStartParams', line: 18, column: 7 },
        { messageId: 'allInterfaces', data: { container: 'ray', host: '0.0.0.0' }, path: '/spec/template/spec/containers/0/command/3', line: 32, column: 45 },
      ],
    },
  ],
});
