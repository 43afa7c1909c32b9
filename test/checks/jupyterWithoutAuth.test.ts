import { jupyterWithoutAuth } from '../../src/checks/ml/jupyterWithoutAuth.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(jupyterWithoutAuth, {
  valid: [
    {
      name: 'generated token (no flag), token from a Secret, empty token with a password',
      yaml: `apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: dont-fire}
spec:
  template:
    spec:
      containers:
      - name: default-token
        image: jupyter/scipy-notebook:2023-10-20
      - name: secret-token
        image: jupyter/scipy-notebook:2023-10-20
        env: [{name: JUPYTER_TOKEN, valueFrom: {secretKeyRef: {name: nb, key: token}}}]
      - name: password
        image: jupyter/scipy-notebook:2023-10-20
        args: ["--ServerApp.token=", "--ServerApp.password=argon2:abc"]
`,
    },
  ],
  invalid: [
    {
      name: 'empty token flags (classic and server), and an empty JUPYTER_TOKEN',
      yaml: `apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: n}
spec:
  template:
    spec:
      containers:
      - name: classic
        image: jupyter/tensorflow-notebook:2023-10-20
        args: ["--NotebookApp.token=''", "--NotebookApp.password=''", "--ip=0.0.0.0"]
      - name: lab
        image: python:3.11
        command: ["jupyter", "lab", "--ServerApp.token=", "--ip=0.0.0.0"]
      - name: env
        image: quay.io/jupyter/base-notebook:2024-05-27
        env:
        - {name: JUPYTER_TOKEN, value: ""}
`,
      expected: [
        { messageId: 'emptyToken', data: { container: 'classic', setting: '--NotebookApp.token' }, path: '/spec/template/spec/containers/0/args/0', line: 10, column: 16 },
        { messageId: 'emptyToken', data: { container: 'lab', setting: '--ServerApp.token' }, path: '/spec/template/spec/containers/1/command/2', line: 13, column: 37 },
        { messageId: 'emptyToken', data: { container: 'env', setting: 'JUPYTER_TOKEN' }, path: '/spec/template/spec/containers/2/env/0', line: 17, column: 11 },
      ],
    },
  ],
});
