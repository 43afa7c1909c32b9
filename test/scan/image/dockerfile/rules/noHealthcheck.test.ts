import { describe } from 'vitest';
import { noHealthcheck } from '../../../../../src/scan/image/dockerfile/rules/noHealthcheck.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_NO_HEALTHCHECK', () => {
  testRule(noHealthcheck, {
    valid: [
      'FROM a\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\n',
      'FROM a\nRUN make\n',
      'FROM a\nEXPOSE 80\nFROM b\nCMD ["batch"]\n',
      // HEALTHCHECK is image config: set in the stage the final one is built FROM
      'FROM a AS base\nHEALTHCHECK CMD true\nFROM base\nCMD ["vllm", "serve", "m"]\n',
      // a batch job on a plain base
      'FROM python:3.12\nCMD ["python", "train.py"]\n',
    ],
    invalid: [
      { code: 'FROM a AS build\nFROM b\nEXPOSE 8000\n', errors: [{ messageId: 'missing', line: 2, column: 1 }] },
      // a server that listens without EXPOSE: by its command, and by its base image
      { code: 'FROM python:3.12\nCMD ["vllm", "serve", "meta-llama/Llama-3-8B"]\n', errors: [{ messageId: 'server', line: 1, column: 1, data: { server: 'vLLM' } }] },
      { code: 'FROM tensorflow/serving:2.15.0\nCOPY model /models/m\n', errors: [{ messageId: 'server', line: 1, column: 1, data: { server: 'TensorFlow Serving' } }] },
      // HEALTHCHECK NONE turns off the base's
      { code: 'FROM a\nEXPOSE 8000\nHEALTHCHECK NONE\n', errors: [{ messageId: 'missing', line: 1, column: 1 }] },
    ],
  });
});
