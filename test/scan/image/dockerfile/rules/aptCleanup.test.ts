import { describe } from 'vitest';
import { aptCleanup } from '../../../../../src/scan/image/dockerfile/rules/aptCleanup.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_APT_NO_CLEANUP', () => {
  testRule(aptCleanup, {
    valid: [
      'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
      'FROM a\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n',
      'FROM a\nRUN echo no apt here\n',
    ],
    invalid: [
      { code: 'FROM a\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\n', errors: [{ messageId: 'noCleanup', line: 2, column: 23 }] },
    ],
  });
});
