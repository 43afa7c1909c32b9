import { describe } from 'vitest';
import { pipWheelHashes } from '../../../../../src/scan/image/dockerfile/rules/pipWheelHashes.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_PIP_NO_HASHES', () => {
  testRule(pipWheelHashes, {
    valid: ['FROM a\nRUN pip install --require-hashes ./dist/app-1.0-py3-none-any.whl\n', 'FROM a\nRUN pip install torch==2.3.0\n'],
    invalid: [
      { code: 'FROM a\nRUN pip install ./dist/app-1.0-py3-none-any.whl\n', errors: [{ messageId: 'wheel', line: 2, column: 5, data: { file: './dist/app-1.0-py3-none-any.whl' } }] },
      { code: 'FROM a\nRUN python3 -m pip install --no-deps vendor/x-1.0.tar.gz\n', errors: [{ messageId: 'wheel', line: 2, column: 5 }] },
    ],
  });
});
