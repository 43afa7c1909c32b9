import { namespacePsaNotEnforced } from '../../src/checks/cluster/namespacePsaNotEnforced.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(namespacePsaNotEnforced, {
  valid: [
    {
      name: 'enforce label set (any level counts: privileged is a choice)',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: dont-fire
  labels: {pod-security.kubernetes.io/enforce: restricted}
---
apiVersion: v1
kind: Namespace
metadata:
  name: gpu-operator
  labels: {pod-security.kubernetes.io/enforce: privileged}
`,
    },
  ],
  invalid: [
    {
      name: 'warn only, and no labels at all',
      yaml: `apiVersion: v1
kind: Namespace
metadata:
  name: ml
  labels:
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: bare
`,
      expected: [
        { messageId: 'missing', data: { namespace: 'ml', label: 'pod-security.kubernetes.io/enforce' }, path: '/metadata/labels', line: 5, column: 3 },
        { messageId: 'missing', data: { namespace: 'bare', label: 'pod-security.kubernetes.io/enforce' }, path: '/metadata', line: 10, column: 1 },
      ],
    },
  ],
});
