import { describe } from 'vitest';
import { baseImageDigest } from '../../../../../src/scan/image/dockerfile/rules/baseImageDigest.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_BASE_NO_DIGEST', () => {
  testRule(baseImageDigest, {
    valid: [
      // a stage the build never reaches is never pulled
      'FROM python:3.12 AS unused\nFROM scratch\n','FROM python:3.12@sha256:0000000000000000000000000000000000000000000000000000000000000000\nFROM scratch\n', 'FROM a@sha256:1111111111111111111111111111111111111111111111111111111111111111 AS x\nFROM x\n'],
    invalid: [
      {
        code: 'FROM python:3.12 AS build\nFROM gcr.io/distroless/python3-debian12\nCOPY --from=build /app /app\n',
        errors: [
          { messageId: 'noDigest', line: 1, column: 6, data: { image: 'python:3.12' } },
          { messageId: 'noDigest', line: 2, column: 6, data: { image: 'gcr.io/distroless/python3-debian12' } },
        ],
      },
    ],
  });
});
