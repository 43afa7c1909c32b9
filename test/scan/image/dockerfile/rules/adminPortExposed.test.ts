import { describe } from 'vitest';
import { adminPortExposed } from '../../../../../src/scan/image/dockerfile/rules/adminPortExposed.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_ADMIN_PORT', () => {
  testRule(adminPortExposed, {
    valid: ['FROM a\nEXPOSE 8080 8501/tcp\n', 'FROM a\nEXPOSE 9000-9100\n'],
    invalid: [
      { code: 'FROM pytorch/torchserve\nEXPOSE 8080 8081\n', errors: [{ messageId: 'port', line: 2, column: 13, data: { port: 8081, service: 'TorchServe management API', why: 'registers models from any URL (CVE-2023-43654)' } }] },
      { code: 'FROM rayproject/ray\nARG DASH=8265\nEXPOSE ${DASH}/tcp 10000-10002\n', errors: [{ messageId: 'port', line: 3, column: 8 }, { messageId: 'port', line: 3, column: 20, data: { port: 10001, service: 'Ray client server', why: 'runs arbitrary code on the cluster' } }] },
    ],
  });
});
