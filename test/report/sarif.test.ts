import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, type Finding } from '../../src/core/types.js';
import { sarif } from '../../src/report/index.js';
import { artifactLocation } from '../../src/report/sarif.js';
import { findings, makeReport, plainContext } from './fixture.js';
import { sarifValidator } from './sarifSchema.js';

const validate = sarifValidator();

function expectValidSarif(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog;
  const valid = validate(log);
  expect(validate.errors ?? []).toEqual([]);
  expect(valid).toBe(true);
  return log;
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations?: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number; startColumn: number } } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; justification: string }>;
}
interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: Array<{ id: string; defaultConfiguration: { level: string }; properties: { tags: string[]; 'security-severity': string } }> } };
    results: SarifResult[];
  }>;
}

describe('sarif', () => {
  it('is valid SARIF 2.1.0 for the fixture report and for an empty one', () => {
    expectValidSarif(sarif(makeReport(), plainContext));
    const empty = expectValidSarif(sarif(makeReport([], {}), plainContext));
    expect(empty.runs[0]?.results).toEqual([]);
    expect(empty.runs[0]?.tool.driver.rules).toEqual([]);
  });

  it('rejects what the schema forbids, so the validation above can fail', () => {
    const log = JSON.parse(sarif(makeReport(), plainContext)) as SarifLog;
    const broken = { ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0]?.results[0], level: 'fatal' }] }] };
    expect(validate(broken)).toBe(false);
    // An unencoded space is no URI reference.
    const rawUri = JSON.parse(JSON.stringify(log).replaceAll('"uri":"deploy/iris.yaml"', '"uri":"deploy/we ird.yaml"')) as unknown;
    expect(JSON.stringify(rawUri)).toContain('we ird.yaml');
    expect(validate(rawUri)).toBe(false);
  });

  it('points each result at its rule and maps severities to levels and security-severity', () => {
    const log = expectValidSarif(sarif(makeReport(), plainContext));
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual([
      'LOAD_NOT_FOUND',
      'ML_CLUSTER_ADMIN_BINDING',
      'ML_HOSTILE',
      'ML_MODEL_TOKEN_IN_ENV',
      'ML_RAY_DASHBOARD_EXPOSED',
      'PSS_BASELINE_PRIVILEGED',
      'PSS_RESTRICTED_RUN_AS_NON_ROOT',
    ]);
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    const byRule = Object.fromEntries(run.tool.driver.rules.map((r) => [r.id, [r.defaultConfiguration.level, r.properties['security-severity']]]));
    expect(byRule).toEqual({
      LOAD_NOT_FOUND: ['error', '8.0'],
      ML_CLUSTER_ADMIN_BINDING: ['note', '0.0'],
      ML_HOSTILE: ['error', '8.0'],
      ML_MODEL_TOKEN_IN_ENV: ['note', '3.0'],
      ML_RAY_DASHBOARD_EXPOSED: ['warning', '5.5'],
      PSS_BASELINE_PRIVILEGED: ['error', '9.5'],
      PSS_RESTRICTED_RUN_AS_NON_ROOT: ['error', '8.0'],
    });
    expect(run.tool.driver.rules.at(-1)?.properties.tags).toEqual(['security', 'pss/restricted', 'nist-800-53/AC-6', 'mitre-atlas/AML.T0049', 'cis/5.2.7']);
  });

  it('keeps suppressed findings as suppressions: inSource for annotations, external for config', () => {
    const run = expectValidSarif(sarif(makeReport(), plainContext)).runs[0]!;
    const suppressed = run.results.filter((r) => r.suppressions).map((r) => [r.ruleId, r.suppressions]);
    expect(suppressed).toEqual([
      ['ML_CLUSTER_ADMIN_BINDING', [{ kind: 'external', status: 'accepted', justification: 'reviewed' }]],
      ['ML_MODEL_TOKEN_IN_ENV', [{ kind: 'inSource', status: 'accepted', justification: 'public demo token, ticket SEC-12', properties: { expires: '2026-12-31' } }]],
    ]);
  });

  it('takes rule descriptions and links from the check metadata when the caller has it', () => {
    const ruleInfo = (id: string) => (id === 'ML_X' ? { description: 'What it finds and why.', docsUrl: 'https://example.test/ML_X' } : undefined);
    const x: Finding = { checkId: 'ML_X', severity: 'low', title: 'X', message: 'm' };
    const withInfo = JSON.parse(sarif(makeReport([x], {}), { ...plainContext, ruleInfo })) as { runs: Array<{ tool: { driver: { rules: unknown[] } } }> };
    expect(withInfo.runs[0]?.tool.driver.rules[0]).toMatchObject({ fullDescription: { text: 'What it finds and why.' }, helpUri: 'https://example.test/ML_X' });
    const without = JSON.parse(sarif(makeReport([x], {}), plainContext)) as typeof withInfo;
    // package.json names no homepage, so no link is made up
    expect(without.runs[0]?.tool.driver.rules[0]).toMatchObject({ fullDescription: { text: 'X' } });
    expect(without.runs[0]?.tool.driver.rules[0]).not.toHaveProperty('helpUri');
  });

  it('omits locations for a finding without one', () => {
    const run = expectValidSarif(sarif(makeReport(), plainContext)).runs[0]!;
    expect(run.results.find((r) => r.ruleId === 'LOAD_NOT_FOUND')?.locations).toBeUndefined();
  });

  // Issue 13: a result is one check on one object (occurrences are grouped), so partialFingerprints
  // name the check and the object; each occurrence's fingerprint (check, object, path) is listed in
  // properties.fingerprints, which --baseline matches. Neither ever includes the line.
  it('fingerprints the check and resource (partialFingerprints) and each path (properties.fingerprints), never the line', () => {
    const base = findings[0]!;
    const resultOf = (finding: Finding) => expectValidSarif(sarif(makeReport([finding], {}), plainContext)).runs[0]!.results[0]! as unknown as { partialFingerprints: Record<string, string>; properties: { fingerprints: string[] } };
    const fingerprintOf = (finding: Finding): string => resultOf(finding).partialFingerprints['palisadeFinding/v2']!;
    const pathPrints = (finding: Finding): string[] => resultOf(finding).properties.fingerprints;
    const moved = { ...base, location: { ...base.location!, line: 99 } };
    const otherPath = { ...base, path: '/spec/predictor/containers/1/securityContext/runAsNonRoot' };
    const otherResource = { ...base, resource: { ...base.resource!, name: 'iris2' } };
    expect(fingerprintOf(moved)).toBe(fingerprintOf(base));
    expect(pathPrints(moved)).toEqual(pathPrints(base));
    expect(fingerprintOf(otherPath)).toBe(fingerprintOf(base));
    expect(pathPrints(otherPath)).not.toEqual(pathPrints(base));
    expect(fingerprintOf(otherResource)).not.toBe(fingerprintOf(base));
    expect(fingerprintOf(base)).toMatch(/^[0-9a-f]{32}$/);
    expect(pathPrints(base)).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
  });

  it.each([
    ['deploy/iris.yaml', { uri: 'deploy/iris.yaml', uriBaseId: '%SRCROOT%' }],
    ['./deploy/iris.yaml', { uri: 'deploy/iris.yaml', uriBaseId: '%SRCROOT%' }],
    ['deploy\\win\\iris.yaml', { uri: 'deploy/win/iris.yaml', uriBaseId: '%SRCROOT%' }],
    ['deploy/we:ird dir/x,1#ü.yaml', { uri: 'deploy/we%3Aird%20dir/x%2C1%23%C3%BC.yaml', uriBaseId: '%SRCROOT%' }],
    ['/abs/path/m.yaml', { uri: 'file:///abs/path/m.yaml' }],
    ['C:\\repo\\m.yaml', { uri: 'file:///C:/repo/m.yaml' }],
    ['-', { uri: 'stdin' }],
  ])('locates %s as %j', (file, expected) => {
    expect(artifactLocation(file)).toEqual(expected);
  });

  it('stays valid SARIF for any finding (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 40 });
    const finding = fc.record(
      {
        checkId: fc.stringMatching(/^[A-Z][A-Z0-9_]{0,20}$/),
        severity: fc.constantFrom(...SEVERITIES),
        title: text,
        message: text,
        resource: fc.record({ apiVersion: text, kind: text, name: text, namespace: text }, { requiredKeys: ['apiVersion', 'kind', 'name'] }),
        container: text,
        path: text,
        location: fc.record({ file: text.filter((f) => f.length > 0), line: fc.integer({ min: 1, max: 1e6 }), column: fc.integer({ min: 1, max: 1e4 }) }),
        remediation: text,
        suppressed: fc.record({ by: fc.constantFrom('annotation' as const, 'config' as const), reason: text, expires: text }, { requiredKeys: ['by', 'reason'] }),
      },
      { requiredKeys: ['checkId', 'severity', 'title', 'message'] },
    );
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 6 }), (generated) => {
        expect(validate(JSON.parse(sarif(makeReport(generated, {}), plainContext)))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
