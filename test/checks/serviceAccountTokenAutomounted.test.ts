import { serviceAccountTokenAutomounted } from '../../src/checks/workload/serviceAccountTokenAutomounted.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(serviceAccountTokenAutomounted, {
  valid: [
    {
      name: 'token off; default account (DEFAULT_SERVICE_ACCOUNT reports it); operators by default; templated names',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  serviceAccountName: model-server
  automountServiceAccountToken: false
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-default}
spec:
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-operator}
spec:
  serviceAccountName: kuberay-operator
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: dont-fire-templated}
spec:
  serviceAccountName: \${KSA_NAME}
  containers: [{name: app, image: nginx:1.27}]
`,
    },
    {
      name: 'API clients listed in params',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire-autoscaler}
spec:
  serviceAccountName: ray-autoscaler
  containers: [{name: app, image: nginx:1.27}]
`,
      params: { apiClients: ['ray-*'] },
    },
  ],
  invalid: [
    {
      name: 'named account with the token mounted, explicitly and by default',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  serviceAccountName: model-server
  containers: [{name: app, image: nginx:1.27}]
---
apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  serviceAccountName: trainer
  automountServiceAccountToken: true
  containers: [{name: app, image: nginx:1.27}]
`,
      expected: [
        { messageId: 'mounted', data: { serviceAccount: 'model-server' }, path: '/spec/automountServiceAccountToken', line: 4, column: 1 },
        { messageId: 'mounted', data: { serviceAccount: 'trainer' }, path: '/spec/automountServiceAccountToken', line: 13, column: 3 },
      ],
    },
  ],
});
