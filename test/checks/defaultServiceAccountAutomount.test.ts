import { defaultServiceAccountAutomount } from '../../src/checks/resource/defaultServiceAccountAutomount.js';
import { testCheck } from '../harness/checkTester.js';

// CIS Kubernetes Benchmark 5.1.5: each namespace's `default` ServiceAccount should set
// automountServiceAccountToken: false. core/v1 ServiceAccount.automountServiceAccountToken is a
// *bool: unset (or null) leaves the token mounted; only the bool false turns it off.
testCheck(defaultServiceAccountAutomount, {
  valid: [
    {
      name: 'the default account opts out; other accounts are DEFAULT_SERVICE_ACCOUNT / SERVICE_ACCOUNT_TOKEN_AUTOMOUNTED business',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: ml}
automountServiceAccountToken: false
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: model-server, namespace: ml}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: defaults, namespace: ml}
automountServiceAccountToken: true
`,
    },
    {
      name: 'objects named default that are not core ServiceAccounts',
      yaml: `apiVersion: v1
kind: ConfigMap
metadata: {name: default, namespace: ml}
data: {a: b}
---
apiVersion: example.com/v1
kind: ServiceAccount
metadata: {name: default, namespace: ml}
`,
    },
  ],
  invalid: [
    {
      name: 'unset: the token is mounted (reported at the object, the nearest parent of the missing field)',
      yaml: `apiVersion: v1
kind: Namespace
metadata: {name: awesomeness}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: awesomeness
`,
      expected: [{ messageId: 'unset', data: { where: ' of namespace "awesomeness"' }, path: '/automountServiceAccountToken', line: 5, column: 1 }],
    },
    {
      name: 'true, a null and a string "false" (not a bool) all leave the token mounted',
      yaml: `apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: a}
automountServiceAccountToken: true
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default}
automountServiceAccountToken:
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: c}
automountServiceAccountToken: "false"
`,
      expected: [
        { messageId: 'enabled', data: { where: ' of namespace "a"', value: 'true' }, path: '/automountServiceAccountToken', line: 4, column: 1 },
        { messageId: 'unset', data: { where: '' }, path: '/automountServiceAccountToken', line: 9, column: 1 },
        { messageId: 'enabled', data: { where: ' of namespace "c"', value: '"false"' }, path: '/automountServiceAccountToken', line: 14, column: 1 },
      ],
    },
  ],
});
