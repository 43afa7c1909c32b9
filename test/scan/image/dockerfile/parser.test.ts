import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDockerfile } from '../../../../src/scan/image/dockerfile/parser.js';

/** The source character at a 1-based position. */
function charAt(text: string, line: number, column: number): string | undefined {
  return text.split('\n')[line - 1]?.[column - 1];
}

describe('parseDockerfile', () => {
  it('reads keywords case-insensitively with their positions', () => {
    const parsed = parseDockerfile('from alpine:3.20\n  run echo hi\n');
    expect(parsed.instructions.map((i) => [i.keyword, i.args, i.line, i.column])).toEqual([
      ['FROM', 'alpine:3.20', 1, 1],
      ['RUN', 'echo hi', 2, 3],
    ]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('joins continuations, drops comment and empty lines inside them, and maps every character back', () => {
    const text = 'FROM debian\nRUN apt-get update && \\\n    # comment\n\n    apt-get install -y curl \\  \n    && echo done\n';
    const parsed = parseDockerfile(text);
    const run = parsed.instructions[1];
    expect(run?.args).toBe('apt-get update &&     apt-get install -y curl     && echo done');
    expect(run?.line).toBe(2);
    expect(run?.endLine).toBe(6);
    expect(run?.positionAt(run.args.indexOf('install'))).toEqual({ line: 5, column: 13 });
    expect(run?.positionAt(run.args.indexOf('echo'))).toEqual({ line: 6, column: 8 });
    expect(parsed.diagnostics.map((d) => [d.code, d.line])).toEqual([['DOCKERFILE_EMPTY_CONTINUATION', 4]]);
  });

  it('honours the escape directive (backtick) and ignores directives after the first instruction', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows\nRUN dir c:\\ `\n  && echo ok\n# escape=\\\n';
    const parsed = parseDockerfile(text);
    expect(parsed.escape).toBe('`');
    expect(parsed.directives).toEqual({ escape: '`' });
    expect(parsed.instructions[1]?.args).toBe('dir c:\\   && echo ok');
  });

  it('reads directives only at the very top', () => {
    const parsed = parseDockerfile('FROM a\n# escape=`\nRUN x \\\n y\n');
    expect(parsed.escape).toBe('\\');
    expect(parsed.instructions[1]?.args).toBe('x  y');
  });

  it('tells the JSON form from the shell form', () => {
    const parsed = parseDockerfile('FROM a\nCMD ["python", "-m", "server"]\nCMD [not json]\nENTRYPOINT ["a", 1]\n');
    expect(parsed.instructions.map((i) => i.json ?? null)).toEqual([null, ['python', '-m', 'server'], null, null]);
  });

  it('reads leading flags with and without values', () => {
    const parsed = parseDockerfile('FROM --platform=$BUILDPLATFORM golang AS build\nCOPY --from=build --chown=1000:1000 --link /out /app\nRUN --mount=type=cache,target=/root/.cache pip install x\n');
    const [from, copy, run] = parsed.instructions;
    expect(from?.flags).toEqual([{ name: 'platform', value: '$BUILDPLATFORM', start: 0 }]);
    expect(from?.rest).toBe('golang AS build');
    expect(copy?.flags.map((f) => [f.name, f.value ?? null])).toEqual([['from', 'build'], ['chown', '1000:1000'], ['link', null]]);
    expect(copy?.rest).toBe('/out /app');
    expect(run?.flags[0]).toEqual({ name: 'mount', value: 'type=cache,target=/root/.cache', start: 0 });
  });

  it('reads heredocs: plain, <<- with tabs stripped, quoted, and several on one line', () => {
    const text = 'FROM a\nRUN <<EOF\napt-get update\nEOF\nRUN <<-"END" bash\n\techo $HOME\n\tEND\nCOPY <<one <<two /dst/\n1\none\n2\ntwo\nRUN echo after\n';
    const parsed = parseDockerfile(text);
    const [, run1, run2, copy, last] = parsed.instructions;
    expect(run1?.heredocs).toEqual([{ name: 'EOF', stripTabs: false, expand: true, body: 'apt-get update\n', line: 3 }]);
    expect(run1?.endLine).toBe(4);
    expect(run2?.heredocs).toEqual([{ name: 'END', stripTabs: true, expand: false, body: 'echo $HOME\n', line: 6 }]);
    expect(copy?.heredocs.map((h) => [h.name, h.body])).toEqual([['one', '1\n'], ['two', '2\n']]);
    expect(last?.args).toBe('echo after');
    expect(last?.line).toBe(13);
  });

  it('does not take a quoted <<WORD for a heredoc', () => {
    const parsed = parseDockerfile('FROM a\nRUN echo "<<EOF" \'<<X\'\nRUN next\n');
    expect(parsed.instructions.map((i) => [i.keyword, i.heredocs.length])).toEqual([['FROM', 0], ['RUN', 0], ['RUN', 0]]);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('reports an unterminated heredoc where it starts', () => {
    const parsed = parseDockerfile('FROM a\nRUN  <<EOF\necho\n');
    expect(parsed.diagnostics).toEqual([{ code: 'DOCKERFILE_UNTERMINATED_HEREDOC', message: 'heredoc "EOF" is not terminated', line: 2, column: 6 }]);
  });

  it('reports unknown instructions and a missing FROM with positions', () => {
    const parsed = parseDockerfile('  FORM alpine\n');
    expect(parsed.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
      ['DOCKERFILE_UNKNOWN_INSTRUCTION', 1, 3],
      ['DOCKERFILE_NO_FROM', 1, 1],
    ]);
  });

  it('handles CRLF line ends and a byte-order mark', () => {
    const parsed = parseDockerfile('\uFEFFFROM a\r\nRUN x \\\r\n  y\r\n');
    expect(parsed.instructions.map((i) => i.args)).toEqual(['a', 'x   y']);
  });

  // Property: wherever continuations, comments and blank lines are put, every character of the
  // joined arguments maps back to the same character in the source.
  it('maps every argument character back to its source position', () => {
    const word = fc.stringMatching(/^[a-z0-9=./-]{1,8}$/);
    const piece = fc.record({ words: fc.array(word, { minLength: 1, maxLength: 4 }), indent: fc.nat(4), trailing: fc.nat(2), comment: fc.boolean() });
    fc.assert(
      fc.property(fc.array(piece, { minLength: 1, maxLength: 5 }), (pieces) => {
        const lines: string[] = ['FROM base'];
        pieces.forEach((p, i) => {
          const prefix = i === 0 ? 'RUN ' : ' '.repeat(p.indent);
          const last = i === pieces.length - 1;
          lines.push(prefix + p.words.join(' ') + (last ? '' : ' \\' + ' '.repeat(p.trailing)));
          if (!last && p.comment) lines.push('  # note');
        });
        const text = lines.join('\n') + '\n';
        const run = parseDockerfile(text).instructions[1];
        if (!run) return false;
        for (let i = 0; i < run.args.length; i++) {
          const { line, column } = run.positionAt(i);
          if (charAt(text, line, column) !== run.args[i]) return false;
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
