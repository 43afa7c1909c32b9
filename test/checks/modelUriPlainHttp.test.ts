import { modelUriPlainHttp } from '../../src/checks/ml/modelUriPlainHttp.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(modelUriPlainHttp, {
  valid: [
    {
      name: 'https, object storage, and http URLs that are not model locations',
      yaml: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: dont-fire}
spec:
  predictor:
    model:
      modelFormat: {name: sklearn}
      storageUri: https://models.example.com/iris.joblib
      env: [{name: MLFLOW_TRACKING_URI, value: "http://mlflow:5000"}]
  transformer:
    containers:
    - name: t
      image: example/t:1.0
      env: [{name: STORAGE_URI, value: "s3://bucket/model"}]
`,
    },
  ],
  invalid: [
    {
      name: 'ISVC storageUri, LLMInferenceService model.uri, MODEL_URI env',
      yaml: `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: i}
spec:
  predictor:
    sklearn:
      storageUri: http://models.internal/iris.joblib
---
apiVersion: serving.kserve.io/v1alpha1
kind: LLMInferenceService
metadata: {name: l}
spec:
  model:
    uri: http://mirror.internal/llama
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    image: example/server:1.0
    env:
    - {name: MODEL_URI, value: "http://models.internal/m.pt"}
`,
      expected: [
        { messageId: 'plainHttp', data: { uri: 'http://models.internal/iris.joblib' }, path: '/spec/predictor/sklearn/storageUri', line: 7, column: 7 },
        { messageId: 'plainHttp', data: { uri: 'http://mirror.internal/llama' }, path: '/spec/model/uri', line: 14, column: 5 },
        { messageId: 'plainHttp', data: { uri: 'http://models.internal/m.pt' }, path: '/spec/containers/0/env/0/value', line: 24, column: 25 },
      ],
    },
  ],
});
