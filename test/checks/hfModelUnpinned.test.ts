import { hfModelUnpinned } from '../../src/checks/ml/hfModelUnpinned.js';
import { testCheck } from '../harness/checkTester.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

testCheck(hfModelUnpinned, {
  valid: [
    {
      name: 'pinned by commit in a flag, an env var and an hf:// URI; local paths; non-LLM containers',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--revision", "${SHA}"]
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.4.0
    env:
    - {name: MODEL_ID, value: "org/model"}
    - {name: REVISION, value: "${SHA}"}
  - name: local
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "/models/llama"]
  - name: tool
    image: python:3.11
    args: ["--model", "org/model"]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: dont-fire-isvc}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      storageUri: hf://org/model:${SHA}
`,
    },
  ],
  invalid: [
    {
      name: 'vllm serve <id>, --model-id with a branch, MODEL_ID env, hf:// without revision',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    command: ["vllm", "serve", "Qwen/Qwen2.5-7B-Instruct"]
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.4.0
    args: ["--model-id", "mistralai/Mistral-7B-v0.1", "--revision", "main"]
  - name: tgi-env
    image: ghcr.io/huggingface/text-generation-inference:2.4.0
    env:
    - {name: MODEL_ID, value: "google/gemma-2b"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: i}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      storageUri: hf://meta-llama/Llama-3.1-8B
`,
      expected: [
        { messageId: 'unpinned', data: { model: 'Qwen/Qwen2.5-7B-Instruct' }, path: '/spec/containers/0/command/2', line: 8, column: 32 },
        { messageId: 'notACommit', data: { model: 'mistralai/Mistral-7B-v0.1', revision: 'main' }, path: '/spec/containers/1/args/0', line: 11, column: 12 },
        { messageId: 'unpinned', data: { model: 'google/gemma-2b' }, path: '/spec/containers/2/env/0', line: 15, column: 7 },
        { messageId: 'unpinned', data: { model: 'meta-llama/Llama-3.1-8B' }, path: '/spec/predictor/model/storageUri', line: 24, column: 7 },
      ],
    },
  ],
});
