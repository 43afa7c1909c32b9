import { describe } from 'vitest';
import { pipUnpinned } from '../../../../../src/scan/image/dockerfile/rules/pipUnpinned.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_PIP_UNPINNED', () => {
  testRule(pipUnpinned, {
    valid: [
      'FROM a\nRUN pip install --no-cache-dir torch==2.3.1 "transformers==4.44.0"\n',
      'FROM a\nRUN pip install -r requirements.txt -c constraints.txt\n',
      'FROM a\nRUN pip install ./dist/app.whl git+https://github.com/o/r.git@v1.0#egg=r\n',
      // a constraints file pins what the command names (pip docs, "Constraints Files")
      'FROM a\nRUN pip install pykafka -c https://example.com/constraints.txt\n',
      'FROM a\nRUN pip install --constraint=c.txt pykafka\n',
      // options with values: the value is not a requirement
      'FROM a\nRUN pip install --no-cache-dir --root-user-action ignore poetry==1.8.5\n',
      'FROM a\nRUN pip3 install --prefix /opt/x --progress-bar off --upgrade-strategy only-if-needed x==1.0\n',
      // local directories and files, compatible release
      'FROM a\nRUN pip install . foo/bar ~/pkg mypkg.tar.gz x~=1.2.2\n',
      'FROM a\nRUN pipx install --python "$(which python)" "poetry==1.8.5"\n',
      // pipenv is another tool
      'FROM a\nRUN pipenv install black\n',
    ],
    invalid: [
      {
        code: 'FROM a\nRUN pip install --upgrade pip && pip install torch transformers==4.44.0\n',
        errors: [
          { messageId: 'unpinned', line: 2, column: 5, data: { tool: 'pip', packages: 'pip' } },
          { messageId: 'unpinned', line: 2, column: 34, data: { tool: 'pip', packages: 'torch' } },
        ],
      },
      // a range is not a pin (stricter than hadolint DL3013)
      { code: 'FROM a\nRUN python3 -m pip install -i https://pypi.org/simple "vllm>=0.5"\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { tool: 'pip', packages: 'vllm>=0.5' } }] },
      { code: 'FROM a\nRUN pip install --root-user-action=ignore mypkg\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { tool: 'pip', packages: 'mypkg' } }] },
      { code: 'FROM a\nRUN pipx install black\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { tool: 'pipx', packages: 'black' } }] },
      { code: 'FROM a\nRUN pip install git+https://github.com/o/r.git#egg=r\n', errors: [{ messageId: 'unpinned', line: 2, column: 5, data: { tool: 'pip', packages: 'git+https://github.com/o/r.git#egg=r' } }] },
      { code: 'FROM a\nONBUILD RUN pip install flask\n', errors: [{ messageId: 'unpinned', line: 2, column: 13, data: { tool: 'pip', packages: 'flask' } }] },
    ],
  });
});
