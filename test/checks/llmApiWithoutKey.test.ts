import { llmApiWithoutKey } from '../../src/checks/ml/llmApiWithoutKey.js';
import { testCheck } from '../harness/checkTester.js';

testCheck(llmApiWithoutKey, {
  valid: [
    {
      name: 'vLLM with --api-key, with VLLM_API_KEY from a Secret; servers with no key switch are not judged',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: dont-fire}
spec:
  containers:
  - name: flag
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "org/model", "--api-key", "$(KEY)"]
  - name: env
    image: vllm/vllm-openai:v0.6.3
    env: [{name: VLLM_API_KEY, valueFrom: {secretKeyRef: {name: k, key: k}}}]
  - name: ollama
    image: ollama/ollama:0.3.12
`,
    },
  ],
  invalid: [
    {
      name: 'vLLM by image and by command line, SGLang',
      yaml: `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: vllm
    image: vllm/vllm-openai:v0.6.3
    args: ["--model", "org/model"]
  - name: custom
    image: python:3.11
    command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]
  - name: sglang
    image: lmsysorg/sglang:v0.3.0
`,
      expected: [
        { messageId: 'noKey', data: { server: 'vLLM', container: 'vllm', flag: '--api-key' }, path: '/spec/containers/0/args', line: 8, column: 5 },
        { messageId: 'noKey', data: { server: 'vLLM', container: 'custom', flag: '--api-key' }, path: '/spec/containers/1/command', line: 11, column: 5 },
        { messageId: 'noKey', data: { server: 'SGLang', container: 'sglang', flag: '--api-key' }, path: '/spec/containers/2', line: 12, column: 5 },
      ],
    },
  ],
});
