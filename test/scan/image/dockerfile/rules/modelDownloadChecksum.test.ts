import { describe } from 'vitest';
import { modelDownloadChecksum } from '../../../../../src/scan/image/dockerfile/rules/modelDownloadChecksum.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_MODEL_DOWNLOAD_UNVERIFIED', () => {
  testRule(modelDownloadChecksum, {
    valid: [
      'FROM a\nRUN curl -LO https://huggingface.co/x/y/resolve/main/model.safetensors && echo "abc  model.safetensors" | sha256sum -c\n',
      'FROM a\nRUN huggingface-cli download org/model --revision 0123abc\n',
      'FROM a\nRUN curl -LO https://example.com/tool.tar.gz\n',
    ],
    invalid: [
      { code: 'FROM a\nRUN curl -L -o /m/model.bin https://huggingface.co/x/y/resolve/main/pytorch_model.bin\n', errors: [{ messageId: 'download', line: 2, column: 5, data: { program: 'curl' } }] },
      { code: 'FROM a\nRUN pip install -U huggingface_hub && huggingface-cli download meta/llama\n', errors: [{ messageId: 'download', line: 2, column: 39, data: { program: 'huggingface-cli' } }] },
      { code: 'FROM a\nRUN wget https://cdn.example.com/weights.ckpt?x=1\n', errors: [{ messageId: 'download', line: 2, column: 5 }] },
    ],
  });
});
