import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { junit } from '../../src/report/index.js';
import { HOSTILE, makeReport, plainContext } from './fixture.js';
import { parseXml, type XmlElement } from './xmlTree.js';

/** The naive oracle: code point by code point, what XML 1.0 forbids becomes U+FFFD. */
function xmlSafe(text: string): string {
  return Array.from(text, (ch) => {
    const code = ch.codePointAt(0)!;
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || code >= 0x10000;
    return allowed ? ch : '\ufffd';
  }).join('');
}

function testcases(suite: XmlElement): XmlElement[] {
  return suite.children.filter((c) => c.name === 'testcase');
}

describe('junit', () => {
  it('is well-formed, one suite per file, counts that add up', () => {
    const root = parseXml(junit(makeReport(), plainContext));
    expect(root.name).toBe('testsuites');
    expect(root.attributes).toEqual({ name: 'palisade', tests: '8', failures: '5', errors: '0', skipped: '2' });
    expect(root.children.map((s) => [s.attributes.name, s.attributes.tests, s.attributes.failures, s.attributes.skipped])).toEqual([
      ['<stdin>', '2', '0', '1'],
      ['deploy/iris.yaml', '3', '2', '1'],
      ['deploy/ray.yaml', '1', '1', '0'],
      ['deploy/we:ird dir/x,1.yaml', '1', '1', '0'],
      ['(no location)', '1', '1', '0'],
    ]);
    for (const suite of root.children) {
      const cases = testcases(suite);
      expect(String(cases.length)).toBe(suite.attributes.tests);
      expect(String(cases.filter((c) => c.children.some((o) => o.name === 'failure')).length)).toBe(suite.attributes.failures);
      expect(String(cases.filter((c) => c.children.some((o) => o.name === 'skipped')).length)).toBe(suite.attributes.skipped);
    }
  });

  it('fails findings, skips suppressed ones, passes allowed pod specs; stdin gets no file attribute', () => {
    const [stdin, iris] = parseXml(junit(makeReport(), plainContext)).children;
    expect(testcases(stdin!).map((c) => [c.attributes, c.children.map((o) => [o.name, o.attributes])])).toEqual([
      [{ name: 'PodSecurity restricted:latest: Pod ml/gateway /spec', classname: 'PodSecurity' }, []],
      [{ name: 'Cluster-admin granted: ClusterRoleBinding runner-admin', classname: 'ML_CLUSTER_ADMIN_BINDING' }, [['skipped', { message: 'suppressed by config: reviewed' }]]],
    ]);
    const privileged = testcases(iris!)[0]!;
    expect(privileged.attributes).toEqual({ name: 'Privileged container: InferenceService ml/iris container predictor', classname: 'PSS_BASELINE_PRIVILEGED', file: 'deploy/iris.yaml', line: '11' });
    expect(privileged.children[0]?.attributes).toEqual({ message: 'container "predictor" must not set securityContext.privileged=true', type: 'critical' });
    expect(privileged.children[0]?.text).toBe(
      [
        'deploy/iris.yaml:11:23 InferenceService ml/iris /spec/predictor/containers/0/securityContext/privileged',
        'CRITICAL PSS_BASELINE_PRIVILEGED: Privileged container',
        'container "predictor" must not set securityContext.privileged=true',
        'fix: remove securityContext.privileged.',
      ].join('\n'),
    );
  });

  it('carries hostile strings through escaping intact, forbidden characters replaced', () => {
    const root = parseXml(junit(makeReport(), plainContext));
    const hostile = testcases(root.children[3]!)[0]!;
    expect(hostile.attributes.name).toBe(`Hostile ${xmlSafe(HOSTILE)}: Pod we:ird,ns/p%d`);
    expect(hostile.children[0]?.attributes.message).toBe(xmlSafe(HOSTILE));
    expect(xmlSafe(HOSTILE)).toBe('bad <tag attr="x"> & \'q\' ]]> 100%, a:b\r\nnext\ufffd\ufffd[31mred\ufffd');
  });

  it('writes an empty report as empty testsuites', () => {
    expect(junit(makeReport([], {}), plainContext)).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="palisade" tests="0" failures="0" errors="0" skipped="0">\n</testsuites>\n');
  });

  it('stays well-formed for any text, and round-trips it (property)', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 60 });
    fc.assert(
      fc.property(anyText, anyText, anyText, (message, file, remediation) => {
        const finding: Finding = { checkId: 'X', severity: 'high', title: 'T', message, remediation, location: { file: file || 'f', line: 1, column: 1 } };
        const root = parseXml(junit(makeReport([finding], {}), plainContext));
        const suite = root.children[0]!;
        const failure = testcases(suite)[0]!.children[0]!;
        expect(suite.attributes.name).toBe(xmlSafe(file || 'f') === '-' ? '<stdin>' : xmlSafe(file || 'f'));
        expect(failure.attributes.message).toBe(xmlSafe(message));
        expect(failure.text.endsWith(remediation ? `fix: ${xmlSafe(remediation)}` : xmlSafe(message))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
