import { describe } from 'vitest';
import { trustRemoteCode } from '../../../../../src/scan/image/dockerfile/rules/trustRemoteCode.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_TRUST_REMOTE_CODE', () => {
  testRule(trustRemoteCode, {
    valid: ['FROM vllm/vllm-openai:v0.6.0\nCMD ["--model", "m"]\n', 'FROM a\nENV TRUST_REMOTE_CODE=false\n'],
    invalid: [
      { code: 'FROM a\nCMD ["python", "-m", "vllm.entrypoints.openai.api_server", "--trust-remote-code"]\n', errors: [{ messageId: 'flag', line: 2, column: 5, data: { keyword: 'CMD' } }] },
      { code: 'FROM a\nRUN python -c "from transformers import AutoModel; AutoModel.from_pretrained(\'x\', trust_remote_code=True)"\n', errors: [{ messageId: 'flag', line: 2, column: 5, data: { keyword: 'RUN' } }] },
      { code: 'FROM a\nENV HF_TRUST_REMOTE_CODE=1\n', errors: [{ messageId: 'flag', line: 2, column: 5, data: { keyword: 'ENV' } }] },
    ],
  });
});
