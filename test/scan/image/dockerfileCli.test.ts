import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/** End to end: `palisade scan dockerfile` as a user types it, on Dockerfiles written for each case. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function palisade(...args: string[]): { status: number | null; findings: Array<[string, string, number, number]> } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', 'scan', 'dockerfile', ...args, '--format', 'json'], { cwd: ROOT, encoding: 'utf8' });
  const report = JSON.parse(result.stdout) as { findings: Array<{ checkId: string; severity: string; location: { file: string; line: number; column: number } }> };
  return { status: result.status, findings: report.findings.map((f) => [f.checkId, f.severity, f.location.line, f.location.column]) };
}

/** Four stages: a builder, a test stage built FROM it, the release image, and a debug image last. */
const STAGES = [
  '# escape=`',
  '# escape=\\',
  'FROM python:3.12-slim@sha256:1111111111111111111111111111111111111111111111111111111111111111 AS build',
  'RUN apt-get update && apt-get install -y --no-install-recommends gcc `',
  '    && rm -rf /var/lib/apt/lists/*',
  'RUN pip install ./dist/app-1.0-py3-none-any.whl',
  'RUN curl -L -o /m/model.bin https://huggingface.co/x/y/resolve/main/pytorch_model.bin',
  'ADD https://example.com/tool.tgz /opt/',
  'FROM build AS test',
  'RUN chmod 777 /srv',
  'FROM gcr.io/distroless/python3-debian12:nonroot@sha256:2222222222222222222222222222222222222222222222222222222222222222 AS release',
  'COPY --from=build /app /app',
  'COPY model.safetensors /models/',
  'EXPOSE 6006',
  'USER app',
  'CMD ["python", "-m", "vllm.entrypoints.openai.api_server", "--trust-remote-code"]',
  'FROM debian:12@sha256:3333333333333333333333333333333333333333333333333333333333333333 AS debug',
  'RUN apt-get update && apt-get install -y --no-install-recommends build-essential && rm -rf /var/lib/apt/lists/*',
  '',
].join('\n');

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'palisade-dockerfile-'));
  writeFileSync(join(work, 'Dockerfile'), STAGES);
  writeFileSync(join(work, 'broken.Dockerfile'), 'FROM alpine:3.20@sha256:4444444444444444444444444444444444444444444444444444444444444444\nRUN echo a && \\\n\n    echo b\nRUNN echo typo\nWORKDIR\nUSER 10001\nRUN <<EOF2\necho never closed\n');
  writeFileSync(join(work, 'nofrom.Dockerfile'), 'LABEL a=b\n');
  mkdirSync(join(work, 'registry'));
  writeFileSync(join(work, 'registry', '.palisade.yaml'), 'checks:\n  IMAGE_REGISTRY_NOT_ALLOWED:\n    params:\n      allowedRegistries: [docker.io/library, "*.internal.example"]\n');
  writeFileSync(
    join(work, 'registry', 'Dockerfile'),
    [
      'FROM python:3.12-slim@sha256:1111111111111111111111111111111111111111111111111111111111111111 AS build',
      'RUN sudo pip install --no-cache-dir torch && apk add curl && npm install -g express',
      'COPY --from=ghcr.io/astral-sh/uv:0.4.0 /uv /bin/uv',
      'FROM quay.io/acme/runtime:1.0@sha256:2222222222222222222222222222222222222222222222222222222222222222',
      'COPY --from=build /app /app',
      'USER 10001',
      '',
    ].join('\n'),
  );
});

describe('palisade scan dockerfile --target', () => {
  it('without --target the last stage is the image; stages it does not need are not judged', () => {
    expect(palisade(join(work, 'Dockerfile'))).toEqual({
      status: 1,
      findings: [
        ['DOCKERFILE_BAD_DIRECTIVE', 'high', 2, 1],
        ['DOCKERFILE_ROOT_USER', 'high', 17, 1],
        ['DOCKERFILE_BUILD_TOOLS_IN_FINAL', 'low', 18, 23],
      ],
    });
  });

  it('--target release judges the release stage and what it copies from, not the builder\'s layers', () => {
    expect(palisade(join(work, 'Dockerfile'), '--target', 'release')).toEqual({
      status: 1,
      findings: [
        ['DOCKERFILE_BAD_DIRECTIVE', 'high', 2, 1],
        ['DOCKERFILE_PIP_NO_HASHES', 'low', 6, 5],
        ['DOCKERFILE_MODEL_DOWNLOAD_UNVERIFIED', 'medium', 7, 5],
        ['DOCKERFILE_ADD_URL', 'medium', 8, 5],
        ['DOCKERFILE_NO_HEALTHCHECK', 'info', 11, 1],
        ['DOCKERFILE_MODEL_IN_IMAGE', 'medium', 13, 6],
        ['DOCKERFILE_ADMIN_PORT', 'medium', 14, 8],
        ['DOCKERFILE_USER_NOT_NUMERIC', 'low', 15, 6],
        ['DOCKERFILE_TRUST_REMOTE_CODE', 'high', 16, 5],
      ],
    });
  });

  it('--target test ships the builder\'s layers too (FROM build), names compare case-insensitively', () => {
    expect(palisade(join(work, 'Dockerfile'), '--target', 'TEST')).toEqual({
      status: 1,
      findings: [
        ['DOCKERFILE_BAD_DIRECTIVE', 'high', 2, 1],
        ['DOCKERFILE_BUILD_TOOLS_IN_FINAL', 'low', 4, 23],
        ['DOCKERFILE_PIP_NO_HASHES', 'low', 6, 5],
        ['DOCKERFILE_MODEL_DOWNLOAD_UNVERIFIED', 'medium', 7, 5],
        ['DOCKERFILE_ADD_URL', 'medium', 8, 5],
        ['DOCKERFILE_ROOT_USER', 'high', 9, 1],
        ['DOCKERFILE_WORLD_WRITABLE', 'medium', 10, 5],
      ],
    });
  });

  it('a --target no stage has is an error, and the last stage is judged', () => {
    expect(palisade(join(work, 'Dockerfile'), '--target', 'nope')).toEqual({
      status: 1,
      findings: [
        ['DOCKERFILE_BAD_DIRECTIVE', 'high', 2, 1],
        ['DOCKERFILE_TARGET_NOT_FOUND', 'high', 1, 1],
        ['DOCKERFILE_ROOT_USER', 'high', 17, 1],
        ['DOCKERFILE_BUILD_TOOLS_IN_FINAL', 'low', 18, 23],
      ],
    });
  });

  it('reports parse diagnostics with positions', () => {
    expect(palisade(join(work, 'broken.Dockerfile'))).toEqual({
      status: 1,
      findings: [
        ['DOCKERFILE_EMPTY_CONTINUATION', 'info', 3, 1],
        ['DOCKERFILE_UNKNOWN_INSTRUCTION', 'high', 5, 1],
        ['DOCKERFILE_MISSING_ARGUMENTS', 'high', 6, 1],
        ['DOCKERFILE_UNTERMINATED_HEREDOC', 'high', 8, 5],
      ],
    });
    expect(palisade(join(work, 'nofrom.Dockerfile')).findings).toEqual([['DOCKERFILE_NO_FROM', 'high', 1, 1]]);
  });
});

describe('palisade scan dockerfile: package managers and the registry allow-list of .palisade.yaml', () => {
  it('reports sudo, unpinned pip/apk/npm in a builder the image copies from, and images pulled from outside the allow-list', () => {
    expect(palisade(join(work, 'registry', 'Dockerfile'))).toEqual({
      status: 0, // nothing at or above high, the default --fail-on
      findings: [
        ['DOCKERFILE_PIP_UNPINNED', 'low', 2, 5],
        ['DOCKERFILE_SUDO', 'medium', 2, 5],
        ['DOCKERFILE_PACKAGE_UNPINNED', 'low', 2, 46],
        ['DOCKERFILE_PACKAGE_UNPINNED', 'low', 2, 62],
        ['DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED', 'medium', 3, 6],
        ['DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED', 'medium', 4, 6],
      ],
    });
  });
});

describe('palisade audit: Dockerfiles among the inputs get the same allow-list', () => {
  it('applies IMAGE_REGISTRY_NOT_ALLOWED allowedRegistries of .palisade.yaml to the Dockerfile', () => {
    const result = spawnSync(process.execPath, ['dist/cli/main.js', 'audit', join(work, 'registry'), '--format', 'json', '--fail-on', 'none'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(result.stdout) as { findings: Array<{ checkId: string; location: { line: number } }> };
    expect([result.status, report.findings.filter((f) => f.checkId === 'DOCKERFILE_BASE_REGISTRY_NOT_ALLOWED').map((f) => f.location.line)]).toEqual([0, [3, 4]]);
  });
});
