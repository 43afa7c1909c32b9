import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readScanReport, readVex } from '../../../../src/scan/image/reports/index.js';

/**
 * Reports whose shape is wrong where palisade reads vulnerabilities are refused (REPORT_INVALID,
 * naming the field and its position), never read as "no vulnerabilities" that pass the gate.
 */
const REPORTS = new URL('../../../../../shared/fixtures/reports/', import.meta.url);
const json = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, REPORTS), 'utf8')) as Record<string, unknown>;
const refused = (text: string, read = readScanReport): [string | undefined, string | undefined, string | undefined] => {
  const { error } = read('r.json', text);
  return [error?.code, error?.message, error?.location && `${error.location.line}:${error.location.column}`];
};

describe('report validation', () => {
  it('Trivy: Results that is not a list is refused at its line, not read as clean', () => {
    const text = '{\n  "SchemaVersion": 2,\n  "ArtifactName": "app",\n  "Results": {"Target": "app", "Vulnerabilities": []}\n}\n';
    expect(refused(text)).toEqual(['REPORT_INVALID', 'r.json: not a valid Trivy document: Results: Invalid input: expected array, received object', '4:14']);
  });

  it('Trivy: a vulnerability without an id is named by its path', () => {
    const text = JSON.stringify({ SchemaVersion: 2, Results: [{ Target: 'a', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'x' }, { PkgName: 'y', Severity: 'CRITICAL' }] }] }, null, 2);
    expect(refused(text)).toEqual(['REPORT_INVALID', 'r.json: not a valid Trivy document: Results[0].Vulnerabilities[1].VulnerabilityID: Invalid input: expected string, received undefined', '11:9']);
  });

  it('Grype: fix versions that are not a list of strings', () => {
    const doc = json('grype/grype-image.json') as { matches: Array<{ vulnerability: { fix: { versions: unknown } } }> };
    doc.matches[0]!.vulnerability.fix.versions = '1.2.3';
    const [code, message] = refused(JSON.stringify(doc));
    expect([code, message]).toEqual(['REPORT_INVALID', 'r.json: not a valid Grype document: matches[0].vulnerability.fix.versions: Invalid input: expected array, received string']);
  });

  it('OpenVEX: a status outside the spec is refused; a v0.0.x statement naming the vulnerability by a string is read', () => {
    const statement = (vulnerability: unknown, status: string): string => JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability, products: [{ '@id': 'pkg:apk/alpine/busybox' }], status }] });
    expect(refused(statement({ name: 'CVE-2021-28831' }, 'not-affected'), readVex)[0]).toBe('REPORT_INVALID');
    expect(readVex('v.json', statement('CVE-2021-28831', 'not_affected'))).toEqual({ statements: [{ vulnerability: 'CVE-2021-28831', aliases: [], products: ['pkg:apk/alpine/busybox'], status: 'not_affected', source: 'v.json' }] });
  });

  it('every shared report fixture still reads (no valid report is refused)', () => {
    for (const name of ['trivy/alpine-310.json', 'trivy/alpine-39-high-critical.json', 'grype/grype-dir.json', 'grype/grype-image.json', 'cyclonedx/trivy-vex-cyclonedx-1.5.json', 'cyclonedx/valid-vulnerability-1.6.json', 'cosign-vuln/trivy-docs-cosign-vuln-alpine-3.10.json']) {
      expect([name, readScanReport(name, JSON.stringify(json(name))).error?.message]).toEqual([name, undefined]);
    }
  });

  it('property: a Trivy or Grype report with a list or an id replaced by a value of another type is refused, never read', () => {
    const wrong = fc.oneof(fc.integer(), fc.boolean(), fc.string().map((s) => `x${s}`), fc.constant({}), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }));
    const trivy = json('trivy/alpine-39-high-critical.json') as { Results: Array<{ Vulnerabilities: Array<Record<string, unknown>> }> };
    const grype = json('grype/grype-image.json') as { matches: Array<{ vulnerability: Record<string, unknown> }> };
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.constantFrom('Results', 'Vulnerabilities', 'VulnerabilityID', 'matches', 'id'), wrong, (i, j, where, value) => {
        const t = structuredClone(trivy);
        const g = structuredClone(grype);
        const result = t.Results[i % t.Results.length]!;
        const vulns = result.Vulnerabilities;
        let doc: object = t;
        if (where === 'Results') (t as Record<string, unknown>).Results = value;
        else if (where === 'Vulnerabilities') (result as Record<string, unknown>).Vulnerabilities = value;
        else if (where === 'VulnerabilityID') vulns[j % vulns.length]!.VulnerabilityID = typeof value === 'string' ? 0 : value;
        else if (where === 'matches') {
          doc = g;
          (g as Record<string, unknown>).matches = value;
        } else {
          doc = g;
          g.matches[j % g.matches.length]!.vulnerability.id = typeof value === 'string' ? {} : value;
        }
        expect(readScanReport('p.json', JSON.stringify(doc)).error?.code).toBe('REPORT_INVALID');
      }),
      { numRuns: 200 },
    );
  });
});
