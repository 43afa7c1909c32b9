import { defaultServiceAccount } from '../../src/checks/workload/defaultServiceAccount.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(defaultServiceAccount, {
  valid: [
    {
      name: 'own account; default account without a token',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  serviceAccountName: model-server
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-no-token}
spec:
  automountServiceAccountToken: false
  containers: [{name: app, image: nginx:1.27}]
`,
    },
  ],
  invalid: [
    {
      name: 'implicit default, and default named explicitly',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: default
  containers: [{name: app, image: nginx:1.27}]
`,
      expected: [
        { messageId: 'defaultAccount', path: '/spec/template/spec/automountServiceAccountToken', line: 6, column: 5 },
        { messageId: 'defaultAccount', path: '/spec/serviceAccountName', line: 13, column: 3 },
      ],
    },
  ],
});
