import { describe } from 'vitest';
import { chmod777 } from '../../../../../src/scan/image/dockerfile/rules/chmod777.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_WORLD_WRITABLE', () => {
  testRule(chmod777, {
    valid: ['FROM a\nRUN chmod 755 /app && chmod u+w /x\n', 'FROM a\nCOPY --chmod=644 a /a\n'],
    invalid: [
      { code: 'FROM a\nRUN mkdir /m && chmod -R 777 /m\n', errors: [{ messageId: 'mode', line: 2, column: 17, data: { mode: '777' } }] },
      { code: 'FROM a\nRUN chmod o+w /srv\nCOPY --chmod=0666 x /x\n', errors: [{ messageId: 'mode', line: 2, column: 5 }, { messageId: 'mode', line: 3, column: 6, data: { mode: '0666' } }] },
    ],
  });
});
