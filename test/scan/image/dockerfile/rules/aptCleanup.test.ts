import { describe } from 'vitest';
import { aptCleanup } from '../../../../../src/scan/image/dockerfile/rules/aptCleanup.js';
import { testRule } from '../ruleTester.js';

describe('DOCKERFILE_APT_NO_CLEANUP', () => {
  testRule(aptCleanup, {
    valid: [
      'FROM a\nRUN apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*\n',
      'FROM a\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n',
      'FROM a\nRUN --mount=type=tmpfs,target=/var/lib/apt/lists/ apt-get update && apt-get install -y x\n',
      'FROM a\nRUN echo no apt here\n',
      // a builder stage's layers are not in the image: only what COPY --from takes is
      'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nCOPY --from=build /out /out\n',
      // a stage no build reaches is not built at all
      'FROM debian:12 AS unused\nRUN apt-get update && apt-get install -y gcc\nFROM scratch\nRUN true\n',
      // docker-clean removed, but both apt directories are mounted away
      'FROM a\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/cache/apt --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n',
    ],
    invalid: [
      { code: 'FROM a\nRUN apt-get update && apt-get install -y x\nRUN rm -rf /var/lib/apt/lists/*\n', errors: [{ messageId: 'noCleanup', line: 2, column: 23, data: { program: 'apt-get' } }] },
      // a cache mount on /var/cache/apt holds the archives, not the lists
      { code: 'FROM a\nRUN --mount=type=cache,target=/var/cache/apt apt-get update && apt-get install -y x\n', errors: [{ messageId: 'noCleanup', line: 2, column: 64 }] },
      { code: 'FROM a\nRUN aptitude update && aptitude install -y x\n', errors: [{ messageId: 'noCleanup', line: 2, column: 24, data: { program: 'aptitude' } }] },
      // the stage the final one is built FROM: its layers are the image's
      { code: 'FROM debian:12 AS base\nRUN apt-get update && apt-get install -y x\nFROM base\nUSER 1000\n', errors: [{ messageId: 'noCleanup', line: 2, column: 23 }] },
      // ONBUILD RUN is judged like RUN
      { code: 'FROM a\nONBUILD RUN apt-get update && apt-get install -y x\n', errors: [{ messageId: 'noCleanup', line: 2, column: 31 }] },
      // docker-clean removed and only the lists mounted: the .debs stay in /var/cache/apt
      {
        code: 'FROM a\nRUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y x\n',
        errors: [{ messageId: 'archives', line: 3, column: 62, data: { program: 'apt-get' } }],
      },
    ],
  });
});
