import { describe } from 'vitest';
import { copyWholeContext } from '../../../../../src/scan/image/dockerfile/rules/copyWholeContext.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_COPY_CONTEXT', () => {
  testRule(copyWholeContext, {
    valid: ['FROM a\nCOPY app/ /app/\n', 'FROM a AS b\nFROM c\nCOPY --from=b . .\n'],
    invalid: [
      { code: 'FROM a\nWORKDIR /app\nCOPY . .\n', errors: [{ messageId: 'whole', line: 3, column: 6, data: { keyword: 'COPY', source: '.' } }] },
      { code: 'FROM a\nADD --chown=1:1 ./ /srv\n', errors: [{ messageId: 'whole', line: 2, column: 17 }] },
    ],
  });
});
