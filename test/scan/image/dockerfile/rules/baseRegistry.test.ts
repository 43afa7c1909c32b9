import { describe, expect, it } from 'vitest';
import { readDockerfile } from '../../../../../src/scan/image/dockerfile/model.js';
import { baseRegistry } from '../../../../../src/scan/image/dockerfile/rules/baseRegistry.js';

/** The rule needs the allow-list (ScanOptions), so it is tested here rather than with testRule. */
const reports = (text: string, allowedRegistries?: string[]) =>
  baseRegistry.check(readDockerfile('Dockerfile', text), allowedRegistries ? { allowedRegistries } : {}).map((r) => {
    const at = r.position ?? r.instruction.positionAt(r.argsIndex ?? -1);
    return [r.messageId, at.line, at.column, r.data];
  });

describe('DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED', () => {
  it('reports nothing without an allow-list', () => {
    expect(reports('FROM random.com/debian\n')).toEqual([]);
  });

  it('judges FROM by registry, Docker Hub as docker.io, globs and path prefixes', () => {
    expect(reports('FROM random.com/debian\n', ['docker.io'])).toEqual([['notAllowed', 1, 6, { keyword: 'FROM', image: 'random.com/debian', registry: 'random.com' }]]);
    expect(reports('FROM ubuntu:24.04 AS a\nFROM zemanlx/ubuntu:18.04 AS b\nFROM docker.io/zemanlx/ubuntu:18.04\nCOPY --from=a /x /x\nCOPY --from=b /y /y\n', ['docker.io'])).toEqual([]);
    expect(reports('FROM foo.random.com/debian\n', ['x.com', '*.random.com'])).toEqual([]);
    expect(reports('FROM x.com/debian\n', ['*.random.com'])).toEqual([['notAllowed', 1, 6, { keyword: 'FROM', image: 'x.com/debian', registry: 'x.com' }]]);
    expect(reports('FROM ghcr.io/acme/server:1\nFROM ghcr.io/other/x:1\nCOPY --from=0 /a /a\n', ['ghcr.io/acme'])).toEqual([['notAllowed', 2, 6, { keyword: 'FROM', image: 'ghcr.io/other/x:1', registry: 'ghcr.io' }]]);
  });

  it('skips stages and scratch, and judges images named by COPY --from and RUN --mount from=', () => {
    expect(reports('FROM random.com/foo AS b1\nFROM b1\nFROM scratch\nCOPY --from=b1 /x /x\n', ['random.com'])).toEqual([]);
    expect(reports('FROM trusted.com/base:1\nCOPY --from=untrusted.com/repo/image:tag /foo /bar\nRUN --mount=type=cache,from=untrusted.com/c:1,target=/c true\nRUN --mount=type=bind,from=trusted.com/ok:1,target=/o true\n', ['trusted.com'])).toEqual([
      ['notAllowed', 2, 6, { keyword: 'COPY', image: 'untrusted.com/repo/image:tag', registry: 'untrusted.com' }],
      ['notAllowed', 3, 5, { keyword: 'RUN', image: 'untrusted.com/c:1', registry: 'untrusted.com' }],
    ]);
  });
});
