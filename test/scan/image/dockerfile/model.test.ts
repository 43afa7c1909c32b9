import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
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

describe('stages BuildKit builds', () => {
  const read = (text: string, target?: string) => readDockerfile('Dockerfile', text, target === undefined ? {} : { target });
  const sets = (df: ReturnType<typeof read>) => ({ final: df.final, built: [...df.built].sort(), shipped: [...df.shipped].sort() });

  it('follows FROM <stage>, COPY --from by name, index and variable, and RUN --mount from=', () => {
    const text = [
      'FROM a AS deps', // 0
      'FROM b AS Tools', // 1: name compared lower-cased
      'FROM c AS unused', // 2
      'FROM deps AS build', // 3
      'ARG SRC=tools',
      'COPY --from=${SRC} /t /t',
      'RUN --mount=type=bind,from=5,target=/m true',
      'FROM d AS assets', // 4
      'FROM e', // 5
      'FROM build AS final', // 6
      'COPY --from=python:3.12 /usr/lib /usr/lib', // an image, not a stage
      '',
    ].join('\n');
    expect(sets(read(text))).toEqual({ final: 6, built: [0, 1, 3, 5, 6], shipped: [0, 3, 6] });
  });

  it('--target selects the final stage; stages after it are not built', () => {
    const text = 'FROM a AS build\nRUN make\nFROM build AS test\nRUN test\nFROM scratch AS release\nCOPY --from=build /out /out\n';
    expect(sets(read(text, 'TEST'))).toEqual({ final: 1, built: [0, 1], shipped: [0, 1] });
    expect(sets(read(text, 'release'))).toEqual({ final: 2, built: [0, 2], shipped: [2] });
    const missing = read(text, 'nope');
    expect([missing.targetMissing, missing.final]).toEqual(['nope', 2]);
  });

  it('reads ONBUILD as the instruction it wraps, at its own position', () => {
    const df = read('FROM a\nONBUILD   RUN --mount=type=cache,target=/x apt-get install -y x\nONBUILD ONBUILD RUN y\nONBUILD COPY . /app\n');
    const triggers = df.stages[0]!.triggers.map((t) => [t.instruction.keyword, t.instruction.rest, t.instruction.flags.map((f) => f.name), t.instruction.positionAt(-1), t.instruction.positionAt(t.instruction.restStart), t.onbuild]);
    expect(triggers).toEqual([
      ['RUN', 'apt-get install -y x', ['mount'], { line: 2, column: 11 }, { line: 2, column: 44 }, true],
      ['COPY', '. /app', [], { line: 4, column: 9 }, { line: 4, column: 14 }, true],
    ]);
  });

  it('matches a naive fixpoint over random stage graphs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ base: fc.option(fc.nat(7)), copies: fc.array(fc.nat(7), { maxLength: 3 }), mounts: fc.array(fc.nat(7), { maxLength: 2 }) }), { minLength: 1, maxLength: 8 }),
        fc.option(fc.nat(7)),
        (stages, target) => {
          const lines: string[] = [];
          stages.forEach((s, i) => {
            // FROM may only name an earlier stage; COPY --from and mounts may name any other stage.
            const base = s.base !== null && s.base < i ? `s${s.base}` : 'img';
            lines.push(`FROM ${base} AS s${i}`);
            for (const c of s.copies) lines.push(`COPY --from=${c % 2 === 0 ? `s${c}` : String(c)} /x /x`);
            for (const m of s.mounts) lines.push(`RUN --mount=type=bind,from=s${m} true`);
          });
          const wanted = target !== null && target < stages.length ? `s${target}` : undefined;
          const df = read(lines.join('\n') + '\n', wanted);
          // The oracle: edges by plain reading of the generator's choices, closure by iteration to a fixpoint.
          const edges = stages.map((s, i) => [
            ...(s.base !== null && s.base < i ? [s.base] : []),
            ...[...s.copies, ...s.mounts].filter((c) => c < stages.length && c !== i),
          ]);
          const final = wanted === undefined ? stages.length - 1 : (target as number);
          const built = new Set([final]);
          for (let changed = true; changed; ) {
            changed = false;
            for (const i of [...built]) {
              for (const e of edges[i]!) {
                if (built.has(e)) continue;
                built.add(e);
                changed = true;
              }
            }
          }
          const shipped: number[] = [];
          for (let i: number | undefined = final; i !== undefined && !shipped.includes(i); ) {
            shipped.push(i);
            const b: number | null = stages[i]!.base;
            i = b !== null && b < i ? b : undefined;
          }
          expect(sets(df)).toEqual({ final, built: [...built].sort(), shipped: shipped.sort() });
        },
      ),
      { numRuns: 200 },
    );
  });
});
