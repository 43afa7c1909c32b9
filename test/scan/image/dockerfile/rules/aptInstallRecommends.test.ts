import { describe } from 'vitest';
import { aptInstallRecommends } from '../../../../../src/scan/image/dockerfile/rules/aptInstallRecommends.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_APT_RECOMMENDS', () => {
  testRule(aptInstallRecommends, {
    valid: ['FROM a\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n', 'FROM a\nRUN apt-get update\n', 'FROM a\nRUN apt-get -o APT::Install-Recommends=false install -y x\n'],
    invalid: [
      { code: 'FROM a\nRUN apt-get update && apt-get install -y curl\n', errors: [{ messageId: 'recommends', line: 2, column: 23 }] },
      { code: 'FROM a\nRUN sudo apt install -y git; DEBIAN_FRONTEND=noninteractive apt-get install tzdata\n', errors: [{ messageId: 'recommends', line: 2, column: 5 }, { messageId: 'recommends', line: 2, column: 30 }] },
    ],
  });
});
