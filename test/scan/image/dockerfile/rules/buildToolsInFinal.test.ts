import { describe } from 'vitest';
import { buildToolsInFinal } from '../../../../../src/scan/image/dockerfile/rules/buildToolsInFinal.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_BUILD_TOOLS_IN_FINAL', () => {
  testRule(buildToolsInFinal, {
    valid: [
      'FROM python:3.12 AS build\nRUN apt-get install -y build-essential\nFROM python:3.12-slim\nCOPY --from=build /w /w\n',
      'FROM debian:12\nRUN apt-get install -y --no-install-recommends ca-certificates\n',
      'FROM alpine\nRUN apk del build-base\n',
    ],
    invalid: [
      { code: 'FROM python:3.12-slim\nRUN apt-get update && apt-get install -y gcc g++ curl\n', errors: [{ messageId: 'tools', line: 2, column: 23, data: { manager: 'apt-get', packages: 'gcc, g++' } }] },
      { code: 'FROM alpine:3.20 AS base\nRUN apk add --no-cache build-base\nFROM base\nCMD ["x"]\n', errors: [{ messageId: 'tools', line: 2, column: 5, data: { manager: 'apk', packages: 'build-base' } }] },
    ],
  });
});
