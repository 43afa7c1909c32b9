import { describe } from 'vitest';
import { sudo } from '../../../../../src/scan/image/dockerfile/rules/sudo.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_SUDO', () => {
  testRule(sudo, {
    valid: ['FROM a\nRUN apt-get install -y sudo\n', 'FROM a\nUSER root\nRUN apt-get update\nUSER 1000\n', 'FROM a\nRUN echo sudo\n'],
    invalid: [
      { code: 'FROM a\nRUN sudo apt-get update\n', errors: [{ messageId: 'sudo', line: 2, column: 5, data: { command: 'sudo apt-get update' } }] },
      { code: 'FROM a\nRUN apt-get update && DEBIAN_FRONTEND=noninteractive /usr/bin/sudo -E apt-get install -y x\n', errors: [{ messageId: 'sudo', line: 2, column: 23 }] },
      { code: 'FROM a\nONBUILD RUN sudo make install\n', errors: [{ messageId: 'sudo', line: 2, column: 13 }] },
    ],
  });
});
