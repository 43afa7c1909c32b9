import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { pssResults, text, violationMessage } from '../../src/report/index.js';
import { policyName } from '../../src/report/pssResults.js';
import { printable } from '../../src/report/terminal.js';
import { findings, makeReport, plainContext, results } from './fixture.js';

const finding: Finding = {
  checkId: 'ML_X',
  severity: 'high',
  title: 'X',
  message: 'container "m" is exposed',
  location: { file: 'a.yaml', line: 3, column: 5 },
  remediation: 'close it.',
};

const ANSI = /\u001b\[[0-9;]*m/g;

describe('text', () => {
  it('says clearly when there is nothing to report', () => {
    expect(text(makeReport([], {}), plainContext)).toBe('✓ no findings\n');
  });

  it('hides suppressed findings but counts them, and shows them on request', () => {
    const suppressed = { ...finding, suppressed: { by: 'config' as const, reason: 'accepted risk' } };
    expect(text(makeReport([suppressed], {}), plainContext)).toBe('✓ no findings; 1 suppressed (shown with --show-suppressed)\n');
    expect(text(makeReport([suppressed], {}), { ...plainContext, showSuppressed: true })).toBe(
      ['a.yaml:3:5  HIGH  ML_X  container "m" is exposed', '    fix: close it.', '    suppressed by config: accepted risk', '', '✓ no findings; 1 suppressed', ''].join('\n'),
    );
  });

  it('prints a finding without source as its line, its fix and the summary', () => {
    expect(text(makeReport([finding], {}), plainContext)).toBe(['a.yaml:3:5  HIGH  ML_X  container "m" is exposed', '    fix: close it.', '', '1 finding: 1 high', ''].join('\n'));
  });

  it('puts the caret under the column, keeping tabs so it lines up', () => {
    const source = (file: string, line: number): string | undefined => (file === 'a.yaml' && line === 3 ? '\tkey:\t"v"' : undefined);
    const out = text(makeReport([{ ...finding, location: { file: 'a.yaml', line: 3, column: 7 } }], {}), { color: false, sourceLine: source });
    expect(out.split('\n').slice(1, 3)).toEqual(['    3 | \tkey:\t"v"', '      | \t    \t^']);
  });

  it('groups findings without a location under "(no location)", naming their resource', () => {
    const loose: Finding = { checkId: 'LOAD_X', severity: 'low', title: 'T', message: 'm', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p' } };
    expect(text(makeReport([loose, finding], {}), plainContext)).toBe(
      ['a.yaml:3:5  HIGH  ML_X  container "m" is exposed', '    fix: close it.', '', '(no location)', 'LOW  LOAD_X  m', '    in Pod ns/p', '', '2 findings: 1 high, 1 low', ''].join('\n'),
    );
  });

  it('findings on binary files (models, images) carry their file in the message and get no "(no location)" heading', () => {
    const model = { checkId: 'MODEL_MALICIOUS', severity: 'critical', title: 'T', message: 'm.pkl: malicious', file: 'm.pkl' } as Finding;
    expect(text(makeReport([model], {}), plainContext)).toBe(['CRITICAL  MODEL_MALICIOUS  m.pkl: malicious', '', '1 finding: 1 critical', ''].join('\n'));
  });

  it('prints the PSS verdict of each pod spec first, in the API server\'s words', () => {
    const out = text(makeReport([], { results }), plainContext);
    expect(out).toBe(
      [
        '✓ <stdin>:1:1  Pod ml/gateway  /spec: allowed by restricted:latest',
        '✗ deploy/iris.yaml:1:1  InferenceService ml/iris  /spec/predictor: violates PodSecurity "restricted:v1.37": privileged (container "predictor" must not set securityContext.privileged=true), runAsNonRoot != true (pod or container "predictor" must set securityContext.runAsNonRoot=true)',
        '',
        '2 pod specs: 1 allowed, 1 in violation',
        '✓ no findings',
        '',
      ].join('\n'),
    );
  });

  it('colours only when asked, and colour changes nothing but the colour', () => {
    const plain = text(makeReport(), { ...plainContext, showSuppressed: true });
    const coloured = text(makeReport(), { ...plainContext, showSuppressed: true, color: true });
    expect(plain).not.toMatch(ANSI);
    expect(coloured).toMatch(ANSI);
    expect(coloured.replace(ANSI, '')).toBe(plain);
  });

  it('never lets a control character reach the terminal (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), (message, file) => {
        const hostile: Finding = { ...finding, message, remediation: `fix ${message}`, location: { file, line: 1, column: 2 } };
        const out = text(makeReport([hostile], {}), { color: false, sourceLine: () => message });
        // Newlines are the output's own; tabs are kept from source lines so carets line up.
        expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
        expect(out.split('\n')).toHaveLength(7);
      }),
      { numRuns: 300 },
    );
  });
});

describe('printable', () => {
  it('shows control characters as control pictures, one column each', () => {
    expect(printable('a\u0000b\u001b[31m\nc\u007f\u0085\td')).toBe('a␀b␛[31m␊c␡\ufffd\td');
  });
});

describe('PSS results', () => {
  it.each([
    ['restricted', 'v1.37', 'restricted:v1.37'],
    ['baseline', '1.25', 'baseline:v1.25'],
    ['restricted', 'latest', 'restricted:latest'],
  ])('names level %s at version %s as %s', (level, version, expected) => {
    expect(policyName({ level, version })).toBe(expected);
  });

  it('joins reasons as the API server does, details in parentheses', () => {
    const [denied] = pssResults(makeReport([], { results: [results[0]] }));
    expect(violationMessage({ ...denied!, violations: [...denied!.violations, { check: 'x', reason: 'no detail' }] })).toBe(
      'violates PodSecurity "restricted:v1.37": privileged (container "predictor" must not set securityContext.privileged=true), runAsNonRoot != true (pod or container "predictor" must set securityContext.runAsNonRoot=true), no detail',
    );
  });

  it('ignores a `results` key that holds something else', () => {
    expect(pssResults(makeReport(findings, { results: [{ path: 'model.pt', verdict: 'safe' }] }))).toEqual([]);
    expect(pssResults(makeReport(findings, { results: 'n/a' }))).toEqual([]);
    expect(pssResults(makeReport(findings, {}))).toEqual([]);
  });
});
