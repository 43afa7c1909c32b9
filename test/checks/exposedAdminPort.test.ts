import { exposedAdminPort } from '../../src/checks/cluster/exposedAdminPort.js';
import { testCheck } from '../harness/checkTester.js';

const torchserve = `apiVersion: apps/v1
kind: Deployment
metadata: {name: ts, namespace: ml}
spec:
  template:
    metadata: {labels: {app: ts}}
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.12.0-cpu
        ports:
        - {containerPort: 8080, name: inference}
        - {containerPort: 8081, name: management}
`;

testCheck(exposedAdminPort, {
  valid: [
    {
      name: 'ClusterIP service on the admin port; public service on the inference port only; other namespace',
      yaml: `${torchserve}---
apiVersion: v1
kind: Service
metadata: {name: internal, namespace: ml}
spec:
  selector: {app: ts}
  ports: [{port: 8081}]
---
apiVersion: v1
kind: Service
metadata: {name: public, namespace: ml}
spec:
  type: LoadBalancer
  selector: {app: ts}
  ports: [{port: 80, targetPort: inference}]
---
apiVersion: v1
kind: Service
metadata: {name: elsewhere, namespace: other}
spec:
  type: NodePort
  selector: {app: ts}
  ports: [{port: 8081}]
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: dont-fire, namespace: ml}
spec:
  headGroupSpec:
    serviceType: ClusterIP
    template:
      spec:
        containers: [{name: head, image: rayproject/ray:2.9.0}]
`,
    },
    {
      // Ray's GCS, dashboard and client server run on the head only: a worker does not listen on 8265.
      name: 'NodePort on 8265 in front of Ray workers only (KubeRay worker group, and a pod running ray start without --head)',
      yaml: `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: ml}
spec:
  headGroupSpec:
    template:
      spec:
        containers: [{name: head, image: rayproject/ray:2.9.0}]
  workerGroupSpecs:
  - groupName: gpu
    template:
      spec:
        containers: [{name: worker, image: rayproject/ray:2.9.0}]
---
apiVersion: v1
kind: Pod
metadata: {name: worker, namespace: ml, labels: {app: ray-worker}}
spec:
  containers:
  - name: worker
    image: rayproject/ray:2.9.0
    command: [ray, start, --address=head:6379, --block]
---
apiVersion: v1
kind: Service
metadata: {name: workers, namespace: ml}
spec:
  type: NodePort
  selector: {ray.io/cluster: rc, ray.io/node-type: worker}
  ports: [{port: 8265}, {port: 10001, name: client}]
---
apiVersion: v1
kind: Service
metadata: {name: plain-worker, namespace: ml}
spec:
  type: NodePort
  selector: {app: ray-worker}
  ports: [{port: 8265}]
`,
    },
  ],
  invalid: [
    {
      name: 'NodePort by port name, Ingress to the Ray dashboard through the KubeRay head labels, KubeRay LoadBalancer head',
      yaml: `${torchserve}---
apiVersion: v1
kind: Service
metadata: {name: ts, namespace: ml}
spec:
  type: NodePort
  selector: {app: ts}
  ports:
  - {name: http, port: 8080}
  - {name: mgmt, port: 9081, targetPort: management}
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: ml}
spec:
  headGroupSpec:
    serviceType: LoadBalancer
    template:
      spec:
        containers: [{name: head, image: rayproject/ray:2.9.0}]
---
apiVersion: v1
kind: Service
metadata: {name: rc-dashboard, namespace: ml}
spec:
  selector: {ray.io/cluster: rc, ray.io/node-type: head}
  ports: [{name: dashboard, port: 8265}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: ray, namespace: ml}
spec:
  rules:
  - host: ray.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: rc-dashboard, port: {name: dashboard}}}
`,
      expected: [
        { messageId: 'service', data: { type: 'NodePort', service: 'ts', server: 'TorchServe', api: 'management API', port: 8081, workload: 'Deployment "ts"' }, path: '/spec/ports/1', line: 23, column: 5 },
        { messageId: 'ingress', data: { ingress: 'ray', server: 'Ray', api: 'dashboard and job submission API', port: 8265, workload: 'RayCluster "rc"' }, path: '/spec/rules/0/http/paths/0/backend', line: 52, column: 9 },
        { messageId: 'operatorService', data: { workload: 'RayCluster "rc"', type: 'LoadBalancer', server: 'Ray', api: 'dashboard and job submission API, GCS, Ray client server', ports: '8265, 6379, 10001' }, path: '/spec/headGroupSpec/serviceType', line: 30, column: 5 },
      ],
    },
  ],
});
