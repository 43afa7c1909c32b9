import { describe } from 'vitest';
import { secretInEnv } from '../../../../../src/scan/image/dockerfile/rules/secretInEnv.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_SECRET_IN_ENV', () => {
  testRule(secretInEnv, {
    valid: [
      // a builder stage's ENV is not in the image's history (a token literal still is reported)
      'FROM a AS build\nENV DB_PASSWORD=x\nFROM b\nCOPY --from=build /x /x\n','FROM a\nENV MODEL_PATH=/models HF_HOME=/cache\n', 'FROM a\nENV TOKEN_FILE=/run/secrets/token PUBLIC_KEY=abc\n', 'FROM a\nARG VERSION=1\n'],
    invalid: [
      { code: 'FROM a\nENV HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789\n', errors: [{ messageId: 'tokenValue', line: 2, column: 5, data: { keyword: 'ENV', name: 'HF_TOKEN', format: 'Hugging Face token' } }] },
      { code: 'ARG GITHUB_TOKEN\nFROM a\nENV A=1 DB_PASSWORD=x\n', errors: [{ messageId: 'secretName', line: 1, column: 5, data: { keyword: 'ARG', name: 'GITHUB_TOKEN' } }, { messageId: 'secretName', line: 3, column: 9 }] },
      { code: 'FROM a\nENV OPENAI_API_KEY sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa\n', errors: [{ messageId: 'tokenValue', line: 2, column: 5, data: { keyword: 'ENV', name: 'OPENAI_API_KEY', format: 'OpenAI API key' } }] },
      { code: 'FROM a\nARG AWS_ACCESS_KEY_ID=AKIAABCDEFGHIJKLMNOP\n', errors: [{ messageId: 'tokenValue', line: 2, column: 5 }] },
      // a known credential name: its `ID` word does not excuse it
      { code: 'ARG AWS_ACCESS_KEY_ID\nFROM a\nENV aws_access_key_id=abc\n', errors: [{ messageId: 'secretName', line: 1, column: 5 }, { messageId: 'secretName', line: 3, column: 5 }] },
      // ONBUILD ENV is judged like ENV
      { code: 'FROM a\nONBUILD ENV DB_PASSWORD=x\n', errors: [{ messageId: 'secretName', line: 2, column: 13, data: { keyword: 'ENV', name: 'DB_PASSWORD' } }] },
    ],
  });
});
