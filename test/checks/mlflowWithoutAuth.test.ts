import { mlflowWithoutAuth } from '../../src/checks/ml/mlflowWithoutAuth.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(mlflowWithoutAuth, {
  valid: [
    {
      name: 'basic-auth app, and a server on localhost',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: dont-fire}
spec:
  template:
    spec:
      containers:
      - name: mlflow
        image: ghcr.io/mlflow/mlflow:v2.14.1
        command: ["mlflow", "server", "--host", "0.0.0.0", "--app-name", "basic-auth"]
      - name: local
        image: ghcr.io/mlflow/mlflow:v2.14.1
        command: ["mlflow", "server", "--host", "127.0.0.1"]
`,
    },
  ],
  invalid: [
    {
      name: 'mlflow server on all interfaces from a shell string',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: tracking}
spec:
  template:
    spec:
      containers:
      - name: mlflow
        image: python:3.11-slim
        command: ["sh", "-c", "pip install mlflow && mlflow server --host 0.0.0.0 --port 5000"]
`,
      expected: [{ messageId: 'openServer', data: { container: 'mlflow', host: '0.0.0.0' }, path: '/spec/template/spec/containers/0/command/2', line: 10, column: 31 }],
    },
  ],
});
