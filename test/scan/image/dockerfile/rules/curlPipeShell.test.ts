import { describe } from 'vitest';
import { curlPipeShell } from '../../../../../src/scan/image/dockerfile/rules/curlPipeShell.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_CURL_PIPE_SHELL', () => {
  testRule(curlPipeShell, {
    valid: ['FROM a\nRUN curl -o x.sh https://e.com/x.sh && sha256sum -c x.sha && sh x.sh\n', 'FROM a\nRUN echo "curl x | sh"\n', 'FROM a\nRUN curl -s https://e.com | grep v\n'],
    invalid: [
      { code: 'FROM a\nRUN curl -fsSL https://get.e.com | sh\n', errors: [{ messageId: 'pipe', line: 2, column: 5, data: { downloader: 'curl', interpreter: 'sh' } }] },
      { code: 'FROM a\nRUN apt-get update && \\\n    wget -qO- https://e.com/i | sudo bash -s --\n', errors: [{ messageId: 'pipe', line: 3, column: 5, data: { downloader: 'wget', interpreter: 'bash' } }] },
      { code: 'FROM a\nRUN <<EOF\nset -e\n  curl -L https://e.com/i.py | tee i.py | python3 -\nEOF\n', errors: [{ messageId: 'pipe', line: 4, column: 3, data: { downloader: 'curl', interpreter: 'python3' } }] },
    ],
  });
});
