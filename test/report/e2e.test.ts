import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { Report } from '../../src/core/types.js';
import { palisade, type CliRun } from '../helpers/cli.js';
import { policyReportSchema } from './policyReportSchema.js';
import { sarifValidator } from './sarifSchema.js';
import { parseXml } from './xmlTree.js';

/** The KServe manifests of the shared corpus, as a user names them from the repository root. */
const INPUT = '../shared/corpus/ml-manifests/kserve__kserve';
const out = mkdtempSync(join(tmpdir(), 'palisade-report-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('every format from the built CLI, in one run', () => {
  let json: CliRun;
  let run: CliRun;
  let report: Report;
  let allowed: number;
  beforeAll(() => {
    json = palisade(['audit', INPUT, '--format', 'json', '--fail-on', 'none']);
    report = JSON.parse(json.stdout) as Report;
    allowed = Array.isArray(report.results) ? report.results.filter((r) => (r as { allowed?: boolean }).allowed === true).length : 0;
    const outputs = { junit: 'junit.xml', policyreport: 'report.yaml', github: 'github.txt', text: 'report.txt' };
    const outputArgs = Object.entries(outputs).flatMap(([format, file]) => ['--output', `${format}=${join(out, file)}`]);
    run = palisade(['audit', INPUT, '--format', 'sarif', '--fail-on', 'none', ...outputArgs]);
  });

  it('runs, and the corpus gives findings to report', () => {
    expect([json.status, json.stderr, run.status, run.stderr]).toEqual([0, '', 0, '']);
    expect(report.findings.length).toBeGreaterThan(10);
  });

  it('writes valid SARIF on stdout with one result per finding, paths as given', () => {
    const validate = sarifValidator();
    const log = JSON.parse(run.stdout) as { runs: Array<{ results: Array<{ locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(validate(log)).toBe(true);
    const results = log.runs[0]!.results;
    expect(results).toHaveLength(report.findings.length);
    const uris = new Set(results.flatMap((r) => r.locations ?? []).map((l) => l.physicalLocation.artifactLocation.uri));
    const files = new Set(report.findings.flatMap((f) => (f.location ? [f.location.file] : [])));
    expect([...uris].sort()).toEqual([...files].map((f) => f.split('/').map(encodeURIComponent).join('/')).sort());
  });

  it('writes well-formed JUnit counting findings and allowed pod specs', () => {
    const root = parseXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(Number(root.attributes.tests)).toBe(report.findings.length + allowed);
    expect(Number(root.attributes.failures) + Number(root.attributes.skipped)).toBe(report.findings.length);
  });

  it('writes PolicyReports that match the CRD, one result per finding and allowed pod spec', () => {
    const validate = new Ajv().compile(policyReportSchema);
    const docs = parseAllDocuments(readFileSync(join(out, 'report.yaml'), 'utf8'), { version: '1.1' }).map((d) => d.toJS() as { results: unknown[] });
    for (const doc of docs) expect(validate(doc)).toBe(true);
    expect(docs.reduce((sum, d) => sum + d.results.length, 0)).toBe(report.findings.length + allowed);
  });

  it('writes one GitHub annotation per unsuppressed finding, and the text report beside them', () => {
    const annotations = readFileSync(join(out, 'github.txt'), 'utf8').trimEnd().split('\n');
    expect(annotations).toHaveLength(report.findings.filter((f) => !f.suppressed).length);
    for (const line of annotations) expect(line).toMatch(/^::(error|warning|notice) file=\.\.\/shared\/corpus\/ml-manifests\/kserve__kserve\/[^,]+,line=\d+,col=\d+,title=[^:]+::/);
    expect(readFileSync(join(out, 'report.txt'), 'utf8')).toMatch(new RegExp(`\\n${report.findings.length} findings: `));
  });

  it('names stdin "stdin" in SARIF and "<stdin>" in text', () => {
    const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ml}\nspec:\n  containers:\n    - {name: c, image: x}\n';
    const sarif = palisade(['pss', '-', '--format', 'sarif', '--fail-on', 'none'], { input: manifest });
    expect(sarif.stdout).toContain('"uri": "stdin"');
    const text = palisade(['pss', '-', '--fail-on', 'none'], { input: manifest });
    expect(text.stdout.split('\n')[0]).toMatch(/^✗ <stdin>:\d+:\d+ {2}Pod ml\/p {2}\/spec: violates PodSecurity "restricted:/);
  });
});
