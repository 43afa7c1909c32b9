import { rayNetworkPolicyBlocksDns } from '../../src/checks/ml/rayNetworkPolicyBlocksDns.js';
import { testCheck } from '../harness/checkTester.js';

/** A RayCluster with a head and one worker group `gpu`; `networkPolicy` is the YAML text under spec (indented two spaces). */
const rayCluster = (networkPolicy: string, kind = 'RayCluster'): string => `apiVersion: ray.io/v1
kind: ${kind}
metadata: {name: batch, namespace: ml}
spec:
${networkPolicy}
  headGroupSpec:
    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}]}}
  workerGroupSpecs:
  - groupName: gpu
    template: {spec: {containers: [{name: ray-worker, image: "rayproject/ray:2.52.0"}]}}
`;

/** The DNS rule of KubeRay's network-policy-deny-all sample. */
const dns = '[{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}]';

// KubeRay networkpolicy_controller.go: the base egress rule reaches pods of the same cluster only,
// and DNS is never added (NetworkPolicyRules.EgressRules: "under DenyAll/DenyAllEgress you MUST add a DNS rule").
testCheck(rayNetworkPolicyBlocksDns, {
  valid: [
    { name: 'no spec.networkPolicy: KubeRay creates no policy', yaml: rayCluster('  rayVersion: "2.52.0"') },
    { name: 'DenyAllIngress leaves egress open', yaml: rayCluster('  networkPolicy: {mode: DenyAllIngress}') },
    { name: 'the sample: DNS for the head and the workers', yaml: rayCluster(`  networkPolicy:\n    head: {egressRules: ${dns}}\n    worker: {egressRules: ${dns}}`) },
    {
      name: 'other ways to let DNS out: a rule without ports, every UDP port, the dns named port, a range over 53',
      yaml: rayCluster(`  networkPolicy:\n    head: {egressRules: [{to: [{ipBlock: {cidr: 10.96.0.10/32}}]}]}\n    worker: {egressRules: [{ports: [{protocol: UDP}]}]}\n    workerGroups: [{groupName: gpu, egressRules: [{ports: [{port: dns, protocol: UDP}]}]}, {groupName: other, egressRules: [{ports: [{port: 50, endPort: 60, protocol: UDP}]}]}]`),
    },
    { name: 'another controller manages the cluster (managedBy): KubeRay creates nothing', yaml: rayCluster('  managedBy: kueue.x-k8s.io/multikueue\n  networkPolicy: {}') },
    { name: 'an unknown mode: the CRD refuses the object, KubeRay never sees it', yaml: rayCluster('  networkPolicy: {mode: AllowAll}') },
  ],
  invalid: [
    {
      name: 'DenyAll by default and no rules: the head and each group, at spec.networkPolicy',
      yaml: rayCluster('  networkPolicy: {}'),
      expected: [
        { messageId: 'head', data: { mode: 'DenyAll' }, path: '/spec/networkPolicy', line: 5, column: 3 },
        { messageId: 'group', data: { mode: 'DenyAll', group: 'gpu' }, path: '/spec/networkPolicy', line: 5, column: 3 },
      ],
    },
    {
      name: 'DNS over TCP only, or 53 without a protocol (TCP): resolvers ask over UDP; a workerGroups entry replaces worker, so it must repeat the rule',
      yaml: rayCluster(`  networkPolicy:\n    mode: DenyAllEgress\n    head: {egressRules: [{ports: [{port: 53}]}]}\n    worker: {egressRules: ${dns}}\n    workerGroups:\n    - {groupName: gpu, egressRules: [{ports: [{port: 53, protocol: TCP}]}]}`),
      expected: [
        { messageId: 'head', data: { mode: 'DenyAllEgress' }, path: '/spec/networkPolicy/head', line: 7, column: 5 },
        { messageId: 'group', data: { mode: 'DenyAllEgress', group: 'gpu' }, path: '/spec/networkPolicy/workerGroups/0', line: 10, column: 7 },
      ],
    },
    {
      name: 'a RayService and a RayJob carry the cluster spec deeper',
      yaml: `apiVersion: ray.io/v1
kind: RayService
metadata: {name: serve, namespace: ml}
spec:
  rayClusterConfig:
    networkPolicy: {mode: DenyAll, head: {egressRules: ${dns}}}
    headGroupSpec: {template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}]}}}
    workerGroupSpecs: [{groupName: cpu, template: {spec: {containers: [{name: w, image: "rayproject/ray:2.52.0"}]}}}]
---
apiVersion: ray.io/v1
kind: RayJob
metadata: {name: train, namespace: ml}
spec:
  entrypoint: python train.py
  rayClusterSpec:
    networkPolicy: {worker: {egressRules: ${dns}}}
    headGroupSpec: {template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0"}]}}}
    workerGroupSpecs: [{groupName: cpu, template: {spec: {containers: [{name: w, image: "rayproject/ray:2.52.0"}]}}}]
`,
      expected: [
        { messageId: 'group', data: { mode: 'DenyAll', group: 'cpu' }, path: '/spec/rayClusterConfig/networkPolicy', line: 6, column: 5 },
        { messageId: 'head', data: { mode: 'DenyAll' }, path: '/spec/rayClusterSpec/networkPolicy', line: 16, column: 5 },
      ],
    },
  ],
});
