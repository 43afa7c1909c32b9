import { describe } from 'vitest';
import { noHealthcheck } from '../../../../../src/scan/image/dockerfile/rules/noHealthcheck.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_NO_HEALTHCHECK', () => {
  testRule(noHealthcheck, {
    valid: ['FROM a\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/ || exit 1\n', 'FROM a\nRUN make\n', 'FROM a\nEXPOSE 80\nFROM b\nCMD ["batch"]\n'],
    invalid: [{ code: 'FROM a AS build\nFROM b\nEXPOSE 8000\n', errors: [{ messageId: 'missing', line: 2, column: 1 }] }],
  });
});
