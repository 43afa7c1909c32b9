import { describe } from 'vitest';
import { pipUnpinned } from '../../../../../src/scan/image/dockerfile/rules/pipUnpinned.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_PIP_UNPINNED', () => {
  testRule(pipUnpinned, {
    valid: [
      'FROM a\nRUN pip install --no-cache-dir torch==2.3.1 "transformers==4.44.0"\n',
      'FROM a\nRUN pip install -r requirements.txt -c constraints.txt\n',
      'FROM a\nRUN pip install ./dist/app.whl git+https://x@abc\n',
    ],
    invalid: [
      { code: 'FROM a\nRUN pip install --upgrade pip && pip install torch transformers==4.44.0\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { packages: 'pip' } }, { messageId: 'unpinned', line: 2, column: 34, data: { packages: 'torch' } }] },
      { code: 'FROM a\nRUN python3 -m pip install -i https://pypi.org/simple "vllm>=0.5"\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { packages: 'vllm>=0.5' } }] },
    ],
  });
});
