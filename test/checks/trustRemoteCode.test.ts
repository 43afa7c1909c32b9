import { trustRemoteCode } from '../../src/checks/ml/trustRemoteCode.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(trustRemoteCode, {
  valid: [
    {
      name: 'explicitly false, and an unrelated flag',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "org/model", "--trust-remote-code=false", "--trust-request-chat-template"]
    env: [{name: TRUST_REMOTE_CODE, value: "false"}]
`,
    },
  ],
  invalid: [
    {
      name: 'vLLM flag, KServe underscore flag, transformers call in a script, env',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "org/model", "--trust-remote-code"]
  - name: hf
    image: kserve/huggingfaceserver:v0.13.0
    args: ["--model_id=org/model", "--trust_remote_code=true"]
  - name: script
    image: python:3.11
    command: ["python", "-c", "from transformers import AutoModel; AutoModel.from_pretrained('org/m', trust_remote_code=True)"]
  - name: tgi
    image: ghcr.io/huggingface/text-generation-inference:2.4.0
    env:
    - {name: TRUST_REMOTE_CODE, value: "true"}
`,
      expected: [
        { messageId: 'flag', data: { container: 'vllm', setting: '--trust-remote-code' }, path: '/spec/containers/0/args/2', line: 8, column: 36 },
        { messageId: 'flag', data: { container: 'hf', setting: '--trust_remote_code=true' }, path: '/spec/containers/1/args/1', line: 11, column: 36 },
        { messageId: 'flag', data: { container: 'script', setting: 'trust_remote_code=True' }, path: '/spec/containers/2/command/2', line: 14, column: 31 },
        { messageId: 'env', data: { container: 'tgi', setting: 'TRUST_REMOTE_CODE' }, path: '/spec/containers/3/env/0', line: 18, column: 7 },
      ],
    },
  ],
});
