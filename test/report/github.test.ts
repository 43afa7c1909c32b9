import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { github } from '../../src/report/index.js';
import { escapeData, escapeProperty } from '../../src/report/github.js';
import { makeReport, plainContext } from './fixture.js';

/** The runner's reading of a command, written out naively: the oracle for the escaping. */
function unescape(value: string): string {
  return value.replace(/%(25|0D|0A|3A|2C)/g, (_, code: string) => ({ '25': '%', '0D': '\r', '0A': '\n', '3A': ':', '2C': ',' })[code] ?? '');
}

const base: Finding = { checkId: 'ML_X', severity: 'high', title: 'Exposed', message: 'port open', location: { file: 'a.yaml', line: 3, column: 5 } };

describe('github', () => {
  it('maps severities to error, warning and notice, and leaves suppressed findings out', () => {
    const out = github(
      makeReport([
        { ...base, severity: 'critical' },
        { ...base, severity: 'medium', location: { file: 'a.yaml', line: 4, column: 1 } },
        { ...base, severity: 'low', location: { file: 'a.yaml', line: 5, column: 1 } },
        { ...base, severity: 'info', location: { file: 'a.yaml', line: 6, column: 1 } },
        { ...base, location: { file: 'a.yaml', line: 7, column: 1 }, suppressed: { by: 'config', reason: 'ok' } },
      ], {}),
      plainContext,
    );
    expect(out).toBe(
      [
        '::error file=a.yaml,line=3,col=5,title=ML_X%3A Exposed::port open',
        '::warning file=a.yaml,line=4,col=1,title=ML_X%3A Exposed::port open',
        '::notice file=a.yaml,line=5,col=1,title=ML_X%3A Exposed::port open',
        '::notice file=a.yaml,line=6,col=1,title=ML_X%3A Exposed::port open',
        '',
      ].join('\n'),
    );
  });

  it('puts a finding without a file (no location, or stdin) on the run, and the fix on its own line', () => {
    const out = github(makeReport([{ ...base, location: undefined, remediation: 'close it' }, { ...base, location: { file: '-', line: 1, column: 1 } }], {}), plainContext);
    expect(out).toBe(['::error title=ML_X%3A Exposed::port open', '::error title=ML_X%3A Exposed::port open%0Afix: close it', ''].join('\n'));
  });

  it('prints nothing for an empty report', () => {
    expect(github(makeReport([], {}), plainContext)).toBe('');
  });

  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('100% a:b,c\r\nd')).toBe('100%25 a:b,c%0D%0Ad');
    expect(escapeProperty('100% a:b,c\r\nd')).toBe('100%25 a%3Ab%2Cc%0D%0Ad');
  });

  it('round-trips any text through the escaping, and leaves no separator behind (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        expect(unescape(escapeData(value))).toBe(value);
        expect(unescape(escapeProperty(value))).toBe(value);
        expect(escapeData(value)).not.toMatch(/[\r\n]/);
        expect(escapeProperty(value)).not.toMatch(/[\r\n:,]/);
      }),
      { numRuns: 500 },
    );
  });

  it('writes one command per finding whatever the strings hold (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (file, message) => {
        const out = github(makeReport([{ ...base, message, title: message, location: { file: file || 'f', line: 2, column: 3 } }], {}), plainContext);
        expect(out.split('\n')).toHaveLength(2);
        expect(out).toMatch(/^::error file=[^,:]*,line=2,col=3,title=ML_X%3A [^,:]*::/);
      }),
      { numRuns: 300 },
    );
  });
});
