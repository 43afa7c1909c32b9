import { describe } from 'vitest';
import { addFromUrl } from '../../../../../src/scan/image/dockerfile/rules/addFromUrl.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_ADD_URL', () => {
  testRule(addFromUrl, {
    valid: ['FROM a\nADD --checksum=sha256:abc https://example.com/m.tar /m/\n', 'FROM a\nADD app.tar.gz /app/\n', 'FROM a\nCOPY https://x /y\n'],
    invalid: [
      { code: 'FROM a\nADD https://example.com/model.bin /models/\n', errors: [{ messageId: 'url', line: 2, column: 5, data: { url: 'https://example.com/model.bin' } }] },
      { code: 'FROM a\nARG V=1.2\nADD --chown=1:1 local.txt \\\n    https://example.com/v${V}.tgz /opt/\n', errors: [{ messageId: 'url', line: 4, column: 5, data: { url: 'https://example.com/v1.2.tgz' } }] },
      { code: 'FROM a\nADD ["http://example.com/a", "/a"]\n', errors: [{ messageId: 'url', line: 2, column: 5 }] },
    ],
  });
});
