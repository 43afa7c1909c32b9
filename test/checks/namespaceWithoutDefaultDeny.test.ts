import { namespaceWithoutDefaultDeny } from '../../src/checks/cluster/namespaceWithoutDefaultDeny.js';
import { testCheck } from '../harness/checkTester.js';

const pod = (name: string, namespace?: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
spec:
  containers: [{name: app, image: nginx:1.27}]
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
  ],
});
