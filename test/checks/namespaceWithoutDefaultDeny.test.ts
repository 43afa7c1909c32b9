import { namespaceWithoutDefaultDeny } from '../../src/checks/cluster/namespaceWithoutDefaultDeny.js';
import { testCheck } from '../harness/checkTester.js';

const pod = (name: string, namespace?: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
spec:
  containers: [{name: app, image: nginx:1.27}]
`;

/** A RayCluster; \`networkPolicy\` is the text of its spec.networkPolicy (KubeRay networkpolicy_controller.go), when set. */
const rayCluster = (name: string, namespace: string, networkPolicy?: string): string => `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: ${name}, namespace: ${namespace}}
spec:
${networkPolicy ? `  networkPolicy: ${networkPolicy}\n` : ''}  headGroupSpec:
    rayStartParams: {}
    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.41.0"}]}}
  workerGroupSpecs:
  - groupName: gpu
    rayStartParams: {}
    template: {spec: {containers: [{name: ray-worker, image: "rayproject/ray:2.41.0"}]}}
`;

testCheck(namespaceWithoutDefaultDeny, {
  valid: [
    {
      name: 'default deny with podSelector {} (policyTypes implied, or Ingress and Egress)',
      yaml: `${pod('a', 'ml')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: ml}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
${pod('b')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector: {matchLabels: {}}
`,
    },
    {
      name: 'KubeRay spec.networkPolicy isolates the Ray pods itself: {} (mode defaults to DenyAll), DenyAll, DenyAllIngress, and a RayService cluster',
      yaml: `${rayCluster('a', 'ray-a', '{}')}---
${rayCluster('b', 'ray-b', '{mode: DenyAll, head: {ingressRules: [{from: [{podSelector: {matchLabels: {app: submitter}}}]}]}}')}---
${rayCluster('c', 'ray-c', '{mode: DenyAllIngress}')}---
apiVersion: ray.io/v1
kind: RayService
metadata: {name: s, namespace: ray-s}
spec:
  rayClusterConfig:
    networkPolicy: {mode: DenyAll}
    headGroupSpec:
      template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.41.0"}]}}
`,
    },
  ],
  invalid: [
    {
      name: 'only an allow policy, only egress deny, and no policy at all (reported at the Namespace object when present)',
      yaml: `${pod('a', 'ml')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-gateway, namespace: ml}
spec:
  podSelector: {}
  ingress: [{from: [{podSelector: {matchLabels: {app: gateway}}}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-deny, namespace: ml}
spec:
  podSelector: {}
  policyTypes: [Egress]
---
apiVersion: v1
kind: Namespace
metadata:
  name: serving
---
${pod('b', 'serving')}---
${pod('c', 'serving')}`,
      expected: [
        { messageId: 'noDefaultDeny', data: { namespace: 'ml', count: 1 }, path: '/metadata/namespace', line: 3, column: 21 },
        { messageId: 'noDefaultDeny', data: { namespace: 'serving', count: 2 }, path: '/metadata/name', line: 24, column: 3 },
      ],
    },
    {
      name: 'KubeRay without spec.networkPolicy, with egress-only isolation (DenyAllEgress), and an isolated cluster next to a plain pod',
      yaml: `${rayCluster('a', 'ray-a')}---
${rayCluster('b', 'ray-b', '{mode: DenyAllEgress}')}---
${rayCluster('c', 'ray-c', '{}')}---
${pod('loose', 'ray-c')}`,
      expected: [
        // A RayCluster's head and worker group are two workloads.
        { messageId: 'noDefaultDeny', data: { namespace: 'ray-a', count: 2 }, path: '/metadata/namespace', line: 3, column: 21 },
        { messageId: 'noDefaultDeny', data: { namespace: 'ray-b', count: 2 }, path: '/metadata/namespace', line: 15, column: 21 },
        // Only the plain pod counts: the isolated cluster's pods do not.
        { messageId: 'noDefaultDeny', data: { namespace: 'ray-c', count: 1 }, path: '/metadata/namespace', line: 41, column: 25 },
      ],
    },
  ],
});
