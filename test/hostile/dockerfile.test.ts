import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDockerfile, scanDockerfile } from '../../src/scan/image/dockerfile/index.js';
import { runScript } from '../../src/scan/image/dockerfile/shell.js';
import { readDockerfile } from '../../src/scan/image/dockerfile/model.js';

describe('hostile Dockerfiles', () => {
  it('reads a 100,000-line heredoc and 100,000 continuation lines without overflowing the stack, and places the last command exactly', () => {
    const n = 100_000;
    const heredoc = `FROM alpine\nRUN <<EOF\n${'echo hi\n'.repeat(n)}curl x | sh\nEOF\n`;
    const started = Date.now();
    const scan = scanDockerfile('Dockerfile', heredoc);
    expect(scan.findings.filter((f) => f.checkId === 'DOCKERFILE_CURL_PIPE_SHELL').map((f) => f.location)).toEqual([{ file: 'Dockerfile', line: n + 3, column: 1 }]);
    const continued = `FROM alpine\nRUN echo a \\\n${' && echo b \\\n'.repeat(n)} && curl x | sh\n`;
    const parsed = parseDockerfile(continued);
    const run = parsed.instructions[1]!;
    expect(run.endLine).toBe(n + 3);
    const script = runScript(readDockerfile('Dockerfile', continued).stages[0]!.instructions.find((i) => i.instruction.keyword === "RUN")!);
    expect(script.commands.length).toBe(n + 3);
    expect(script.commands.at(-1)!.position).toEqual({ line: n + 3, column: 14 });
    // linear work: well under the 60 s bound even on a loaded 2-core machine
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);

  it('places every command of continued lines and heredocs where a naive line scan puts it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ words: fc.array(fc.constantFrom('echo', 'a', 'b', '"x y"', "'z'"), { minLength: 1, maxLength: 3 }), blank: fc.nat({ max: 3 }) }), { minLength: 1, maxLength: 30 }), fc.boolean(), (commands, useHeredoc) => {
        const lines = commands.map((c) => ' '.repeat(c.blank) + c.words.join(' '));
        const text = useHeredoc ? `FROM a\nRUN <<EOF\n${lines.join('\n')}\nEOF\n` : `FROM a\nRUN true \\\n${lines.map((l) => `&& ${l}`).join(' \\\n')}\n`;
        const instruction = readDockerfile('D', text).stages[0]!.instructions.find((i) => i.instruction.keyword === "RUN")!;
        const got = runScript(instruction).commands.map((c) => c.position);
        const expected = lines.map((line, i) => ({ line: i + 3, column: (useHeredoc ? 0 : 3) + line.length - line.trimStart().length + 1 }));
        expect(got.slice(1)).toEqual(expected); // the first command is the RUN line itself (`<<EOF` or `true`)
      }),
      { numRuns: 100 },
    );
  });
});
