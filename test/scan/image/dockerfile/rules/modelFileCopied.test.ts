import { describe } from 'vitest';
import { modelFileCopied } from '../../../../../src/scan/image/dockerfile/rules/modelFileCopied.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_MODEL_IN_IMAGE', () => {
  testRule(modelFileCopied, {
    valid: ['FROM a\nCOPY server.py /app/\n', 'FROM a AS w\nFROM b\nCOPY --from=w /m/model.pt /m/\n'],
    invalid: [
      { code: 'FROM a\nCOPY model.pt config.json /models/\n', errors: [{ messageId: 'pickle', line: 2, column: 6, data: { keyword: 'COPY', source: 'model.pt', extension: '.pt' } }] },
      { code: 'FROM a\nARG M=weights\nCOPY ["${M}.safetensors", "/m/"]\n', errors: [{ messageId: 'data', line: 3, column: 6, data: { keyword: 'COPY', source: 'weights.safetensors', extension: '.safetensors' } }] },
    ],
  });
});
