import { describe, expect, it } from 'vitest';
import { finalUser, readDockerfile } from '../../../../src/scan/image/dockerfile/model.js';

describe('readDockerfile', () => {
  it('resolves global ARGs in FROM and links stages by name', () => {
    const df = readDockerfile('Dockerfile', 'ARG PY=3.12\nARG VARIANT\nFROM python:${PY}-slim AS Build\nRUN make\nFROM build AS test\nFROM gcr.io/distroless/python3${VARIANT}\n');
    expect(df.stages.map((s) => [s.name ?? null, s.image, s.baseStage ?? null, s.imageUnset])).toEqual([
      ['build', 'python:3.12-slim', null, []],
      ['test', 'build', 0, []],
      [null, 'gcr.io/distroless/python3', null, ['VARIANT']],
    ]);
  });

  it('scopes ARG and ENV as BuildKit does', () => {
    const text = 'ARG V=global\nFROM a\nRUN one\nARG V\nRUN two\nENV X=1 Y=$X\nENV X=2\nRUN three\nFROM a\nRUN four\n';
    const df = readDockerfile('Dockerfile', text);
    const scopes = df.stages.flatMap((s) => s.instructions.filter((i) => i.instruction.keyword === 'RUN').map((i) => Object.fromEntries(i.variables)));
    // Y sees X as it was before the ENV line; a new stage starts empty.
    expect(scopes).toEqual([{}, { V: 'global' }, { V: 'global', X: '2', Y: '' }, {}]);
  });

  it('inherits ENV into stages built FROM an earlier stage', () => {
    const df = readDockerfile('Dockerfile', 'FROM a AS base\nENV HOME=/srv\nFROM base\nRUN x\n');
    expect(Object.fromEntries(df.stages[1]?.instructions[0]?.variables ?? [])).toEqual({ HOME: '/srv' });
  });
});

describe('finalUser', () => {
  it.each([
    ['FROM a\nUSER 1001:1001\n', { user: '1001', group: '1001', uid: 1001, gid: 1001, root: false, line: 2 }],
    ['FROM a\nUSER app\nUSER root\n', { user: 'root', root: true, line: 3 }],
    ['FROM a\nUSER 0\n', { user: '0', uid: 0, root: true, line: 2 }],
    ['ARG U=999\nFROM a\nARG U\nUSER $U\n', { user: '999', uid: 999, root: false, line: 4 }],
    ['FROM a AS base\nUSER 10001\nFROM base\nRUN x\n', { user: '10001', uid: 10001, root: false, line: 2 }],
  ])('%j', (text, expected) => {
    const { line, ...rest } = expected;
    const user = finalUser(readDockerfile('Dockerfile', text));
    expect(user).toEqual({ ...rest, file: 'Dockerfile', position: { line, column: 1 } });
  });

  it('is undefined when no stage of the chain sets USER, even if an unrelated stage does', () => {
    expect(finalUser(readDockerfile('Dockerfile', 'FROM a AS build\nUSER 1000\nFROM b\nCOPY --from=build /x /x\n'))).toBeUndefined();
  });
});
