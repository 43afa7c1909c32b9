import { torchserveManagementOpen } from '../../src/checks/ml/torchserveManagementOpen.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(torchserveManagementOpen, {
  valid: [
    {
      name: 'defaults: token auth on, model API off, management on localhost, only the inference port published',
      yaml: `apiVersion: apps/v1
kind: Deployment
metadata: {name: dont-fire}
spec:
  template:
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve:0.12.0-cpu
        args: ["torchserve", "--start", "--model-store", "/models"]
        ports: [{containerPort: 8080}]
        env: [{name: TS_MANAGEMENT_ADDRESS, value: "http://127.0.0.1:8081"}]
`,
    },
  ],
  invalid: [
    {
      name: 'KServe pytorch predictor with auth off and model API on (the corpus pattern), and a Deployment publishing 8081',
      yaml: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: torchserve}
spec:
  predictor:
    pytorch:
      storageUri: gs://kfserving-examples/models/torchserve/image_classifier/v1
      args:
        - --disable-token-auth
        - --enable-model-api
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ts}
spec:
  template:
    spec:
      containers:
      - name: torchserve
        image: pytorch/torchserve-nightly:latest-gpu
        env:
        - {name: TS_MANAGEMENT_ADDRESS, value: "http://0.0.0.0:8081"}
        ports:
        - containerPort: 8080
        - containerPort: 8081
`,
      expected: [
        { messageId: 'tokenAuthDisabled', data: { container: 'kserve-container', setting: '--disable-token-auth' }, path: '/spec/predictor/pytorch/args/0', line: 9, column: 11 },
        { messageId: 'modelApiEnabled', path: '/spec/predictor/pytorch/args/1', line: 10, column: 11 },
        { messageId: 'boundAllInterfaces', data: { container: 'torchserve', setting: 'http://0.0.0.0:8081' }, path: '/spec/template/spec/containers/0/env/0', line: 22, column: 11 },
        { messageId: 'portDeclared', path: '/spec/template/spec/containers/0/ports/1', line: 25, column: 11 },
      ],
    },
  ],
});
