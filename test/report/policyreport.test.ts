import { Ajv } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { SEVERITIES, type Finding } from '../../src/core/types.js';
import { policyreport } from '../../src/report/index.js';
import { HOSTILE, makeReport, plainContext } from './fixture.js';
import { policyReportSchema } from './policyReportSchema.js';

const validate = new Ajv({ allErrors: true }).compile(policyReportSchema);

interface PolicyReportDoc {
  kind: string;
  metadata: { name: string; namespace?: string };
  summary: Record<string, number>;
  results: Array<{ policy: string; result: string; severity?: string; message: string; resources?: Array<{ namespace?: string }>; properties: Record<string, string> }>;
}

/** Read the stream the way kubectl does (YAML 1.1) and the way most tools do (1.2): same values, schema-valid. */
function readStream(text: string): PolicyReportDoc[] {
  const read = (version: '1.1' | '1.2'): unknown[] =>
    parseAllDocuments(text, { version }).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as unknown;
    });
  const docs = read('1.1');
  expect(read('1.2')).toEqual(docs);
  for (const doc of docs) {
    validate(doc);
    expect(validate.errors ?? []).toEqual([]);
  }
  return docs as PolicyReportDoc[];
}

describe('policyreport', () => {
  it('writes a PolicyReport per namespace, then the ClusterPolicyReport', () => {
    const docs = readStream(policyreport(makeReport(), plainContext));
    expect(docs.map((d) => [d.kind, d.metadata.namespace])).toEqual([
      ['PolicyReport', 'ml'],
      ['PolicyReport', 'ray'],
      ['PolicyReport', 'we:ird,ns'],
      ['ClusterPolicyReport', undefined],
    ]);
    expect(docs[0]?.results.map((r) => [r.policy, r.result, r.severity])).toEqual([
      ['PSS_BASELINE_PRIVILEGED', 'fail', 'critical'],
      ['PSS_RESTRICTED_RUN_AS_NON_ROOT', 'fail', 'high'],
      ['ML_MODEL_TOKEN_IN_ENV', 'skip', 'low'],
      ['PodSecurity', 'pass', undefined],
    ]);
    expect(docs[3]?.results.map((r) => [r.policy, r.result])).toEqual([
      ['ML_CLUSTER_ADMIN_BINDING', 'skip'],
      ['LOAD_NOT_FOUND', 'fail'],
    ]);
  });

  it('summarises each report by its own results', () => {
    for (const doc of readStream(policyreport(makeReport(), plainContext))) {
      const counted = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 } as Record<string, number>;
      for (const r of doc.results) counted[r.result] = (counted[r.result] ?? 0) + 1;
      expect(doc.summary).toEqual(counted);
    }
  });

  it('keeps strings exact for a YAML 1.1 reader: dates, hostile text', () => {
    const docs = readStream(policyreport(makeReport(), plainContext));
    const token = docs[0]?.results.find((r) => r.policy === 'ML_MODEL_TOKEN_IN_ENV');
    expect(token?.properties).toEqual({
      file: 'deploy/iris.yaml',
      line: '15',
      column: '16',
      path: '/spec/predictor/containers/0/env/0/value',
      container: 'predictor',
      remediation: 'read the token from a Secret with valueFrom.secretKeyRef.',
      suppressedBy: 'annotation',
      justification: 'public demo token, ticket SEC-12',
      expires: '2026-12-31',
    });
    expect(docs[2]?.results[0]?.message).toBe(HOSTILE);
  });

  it('takes the category from the check metadata when the caller has it', () => {
    const x: Finding = { checkId: 'ML_X', severity: 'low', title: 'X', message: 'm' };
    const category = (ruleInfo?: (id: string) => { category: string }) => readStream(policyreport(makeReport([x], {}), { ...plainContext, ...(ruleInfo ? { ruleInfo } : {}) }))[0]?.results[0];
    expect(category(() => ({ category: 'Model serving' }))).toMatchObject({ category: 'Model serving' });
    expect(category()).toMatchObject({ category: 'Security' });
  });

  it('writes only the ClusterPolicyReport, with a zero summary, when there is nothing to report', () => {
    expect(policyreport(makeReport([], {}), plainContext)).toBe(
      [
        '---',
        'apiVersion: wgpolicyk8s.io/v1alpha2',
        'kind: ClusterPolicyReport',
        'metadata:',
        '  name: palisade',
        '  labels:',
        '    app.kubernetes.io/managed-by: palisade',
        'summary:',
        '  pass: 0',
        '  fail: 0',
        '  warn: 0',
        '  error: 0',
        '  skip: 0',
        'results: []',
        '',
      ].join('\n'),
    );
  });

  it('puts every finding in its namespace\'s report exactly once (property)', () => {
    const text = fc.string({ unit: 'binary', maxLength: 20 });
    const finding = fc.record(
      {
        checkId: fc.stringMatching(/^[A-Z][A-Z_]{0,10}$/),
        severity: fc.constantFrom(...SEVERITIES),
        title: text,
        message: text,
        resource: fc.record({ apiVersion: fc.constant('v1'), kind: fc.constant('Pod'), name: text, namespace: fc.constantFrom('', 'a', 'b', 'yes', '2026-01-01') }, { requiredKeys: ['apiVersion', 'kind', 'name'] }),
        suppressed: fc.record({ by: fc.constantFrom('annotation' as const, 'config' as const), reason: text }),
      },
      { requiredKeys: ['checkId', 'severity', 'title', 'message'] },
    );
    fc.assert(
      fc.property(fc.array(finding, { maxLength: 8 }), (generated: Finding[]) => {
        const docs = readStream(policyreport(makeReport(generated, {}), plainContext));
        const placed = docs.flatMap((d) => d.results.map((r) => [d.metadata.namespace ?? '', r.policy, r.message, r.result]));
        const expected = generated.map((f) => [f.resource?.namespace ?? '', f.checkId, f.message, f.suppressed ? 'skip' : 'fail']);
        expect(sortRows(placed)).toEqual(sortRows(expected));
      }),
      { numRuns: 150 },
    );
  });
});

function sortRows(rows: unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}
