import { describe } from 'vitest';
import { userNotNumeric } from '../../../../../src/scan/image/dockerfile/rules/userNotNumeric.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_USER_NOT_NUMERIC', () => {
  testRule(userNotNumeric, {
    valid: [
      'FROM a\nUSER 10001\n',
      'FROM a\nUSER 1234:5678\n',
      // root is DOCKERFILE_ROOT_USER's finding
      'FROM a\nUSER root\n',
      // decided by a build argument with no default
      'ARG APP_UID\nFROM a\nARG APP_UID\nUSER ${APP_UID}\n',
      // only the final USER is the image's
      'FROM a\nUSER app\nUSER 1000\n',
      'FROM a\nRUN true\n',
    ],
    invalid: [
      { code: 'FROM a\nUSER app\n', errors: [{ messageId: 'name', line: 2, column: 6, data: { user: 'app' } }] },
      { code: 'FROM a\nUSER foobar:barfoo\n', errors: [{ messageId: 'name', line: 2, column: 6, data: { user: 'foobar' } }] },
      // through the FROM chain, and with a build argument that has a value
      { code: 'ARG NAME=svc\nFROM a AS base\nARG NAME\nUSER $NAME\nFROM base\n', errors: [{ messageId: 'name', line: 4, column: 6, data: { user: 'svc' } }] },
    ],
  });
});
