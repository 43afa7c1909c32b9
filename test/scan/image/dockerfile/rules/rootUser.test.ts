import { describe } from 'vitest';
import { rootUser } from '../../../../../src/scan/image/dockerfile/rules/rootUser.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_ROOT_USER', () => {
  testRule(rootUser, {
    valid: ['FROM python:3.12\nUSER 10001\n', 'FROM a AS base\nUSER app\nFROM base\nCMD ["x"]\n', 'FROM a\nUSER root\nRUN x\nUSER 1000:1000\n'],
    invalid: [
      { code: 'FROM python:3.12\nCMD ["python"]\n', errors: [{ messageId: 'noUser', line: 1, column: 1, data: { image: 'python:3.12' } }] },
      { code: 'FROM a AS build\nUSER 1000\nFROM b\n', errors: [{ messageId: 'noUser', line: 3, column: 1 }] },
      { code: 'FROM a\nUSER 1000\n  USER   root\n', errors: [{ messageId: 'rootUser', line: 3, column: 10, data: { user: 'root' } }] },
      { code: 'ARG U=0\nFROM a\nARG U\nUSER ${U}:0\n', errors: [{ messageId: 'rootUser', line: 4, column: 6, data: { user: '0' } }] },
    ],
  });
});
