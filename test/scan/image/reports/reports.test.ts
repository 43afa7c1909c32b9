import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gateFindings, purlMatches, readAllowList, readScanReport, readVex, type IngestedReport } from '../../../../src/scan/image/reports/index.js';

/** The shared report fixtures, read in place. */
const REPORTS = new URL('../../../../../shared/fixtures/reports/', import.meta.url);
const text = (name: string): string => readFileSync(new URL(name, REPORTS), 'utf8');
function report(name: string): IngestedReport {
  const { report: read, error } = readScanReport(name, text(name));
  if (!read) throw error;
  return read;
}
const NOW = new Date('2026-06-01T00:00:00Z');

describe('reading scan reports', () => {
  it('Trivy: every vulnerability with its status, fixed version and purl; missing FixedVersion stays unfixed', () => {
    const trivy = report('trivy/debian-buster.json');
    expect([trivy.format, trivy.artifact, trivy.createdAt]).toEqual(['trivy', 'testdata/fixtures/images/debian-buster.tar.gz', '2021-08-25T12:20:30.000000005Z']);
    expect(trivy.vulnerabilities.map((v) => [v.id, v.package, v.version, v.severity, v.fixedIn, v.status, v.purl])).toEqual([
      ['CVE-2019-18276', 'bash', '5.0-4', 'low', [], 'affected', 'pkg:deb/debian/bash@5.0-4?arch=amd64&distro=debian-10.1'],
      ['CVE-2019-18224', 'libidn2-0', '2.0.5-1', 'critical', ['2.0.5-1+deb10u1'], 'fixed', 'pkg:deb/debian/libidn2-0@2.0.5-1?arch=amd64&distro=debian-10.1'],
    ]);
    expect(report('trivy/alpine-39.json').vulnerabilities.map((v) => v.severity)).toEqual(['medium', 'medium', 'medium', 'medium', 'critical', 'critical']);
    expect(report('trivy/alpine-3.12-from-cosign-vuln-spec.json').vulnerabilities.map((v) => [v.package, v.status ?? null])).toEqual([['busybox', null], ['ssl_client', null]]);
  });

  it('a cosign vulnerability predicate carries its Trivy report in scanner.result', () => {
    expect(report('cosign-vuln/trivy-docs-cosign-vuln-alpine-3.10.json').format).toBe('trivy');
    expect(readScanReport('p', text('cosign-vuln/cosign-test-vuln-predicate.json')).error?.code).toBe('REPORT_UNKNOWN_FORMAT');
  });

  it('Grype: capitalised severities, fix.state, related vulnerabilities as aliases', () => {
    expect(report('grype/grype-image.json').vulnerabilities.map((v) => [v.id, v.package, v.severity, v.fixedIn, v.status ?? null])).toEqual([
      ['CVE-1999-0001', 'package-1', 'low', ['1.2.1', '2.1.3', '3.4.0'], 'fixed'],
      ['CVE-1999-0002', 'package-2', 'critical', [], null],
    ]);
  });

  it('CycloneDX: worst rating, affects refs through BOM-links, analysis as VEX', () => {
    expect(report('cyclonedx/trivy-fluentd-short-cyclonedx-1.7.json').vulnerabilities.map((v) => [v.id, v.package, v.severity])).toEqual([
      ['CVE-2019-18224', 'libidn2-0', 'critical'],
      ['CVE-2019-18276', 'bash', 'high'],
      ['CVE-2020-8165', 'activesupport', 'critical'],
    ]);
    const vex = report('cyclonedx/trivy-vex-cyclonedx-1.5.json').vex;
    expect(vex.map((s) => [s.vulnerability, s.status, s.justification ?? null, s.products])).toEqual([
      ['CVE-2021-44228', 'not_affected', 'code_not_reachable', ['pkg:maven/org.springframework.boot/spring-boot@2.6.0']],
      ['CVE-2022-27943', 'not_affected', null, ['pkg:deb/ubuntu/libstdc%2B%2B6@12.3.0-1ubuntu1~22.04?arch=amd64&distro=ubuntu-22.04']],
    ]);
    expect(report('cyclonedx/valid-vulnerability-1.6.json').vulnerabilities.map((v) => [v.id, v.aliases, v.package, v.severity])).toEqual([['SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111', ['CVE-2018-7489'], 'jackson-databind', 'critical']]);
  });

  it('refuses what it cannot read', () => {
    expect(readScanReport('x', '{').error?.code).toBe('REPORT_BAD_JSON');
    expect(readScanReport('x', text('openvex/trivy-result-openvex.json')).error?.code).toBe('REPORT_UNKNOWN_FORMAT');
  });
});

describe('the gate', () => {
  it('suppresses with OpenVEX statements that name the package as a subcomponent, and keeps the finding', () => {
    const trivy = report('trivy/alpine-3.12-from-cosign-vuln-spec.json');
    const statements = [{ vulnerability: 'CVE-2021-28831', aliases: [], products: ['pkg:oci/app', 'pkg:apk/alpine/busybox'], status: 'not_affected' as const, justification: 'vulnerable_code_not_in_execute_path', source: 'vex.json' }];
    const findings = gateFindings([trivy], { vex: statements, now: NOW });
    expect(findings.map((f) => [f.severity, f.suppressed ?? null])).toEqual([
      ['high', { by: 'config', reason: 'VEX not_affected (vulnerable_code_not_in_execute_path) from vex.json' }],
      ['high', null],
    ]);
    expect(findings.map((f) => [f.checkId, f.message])).toEqual([
      ['REPORT_VULNERABILITY', 'busybox 1.31.1-r21 is affected by CVE-2021-28831; fixed in 1.32.1-r4 (trivy report trivy/alpine-3.12-from-cosign-vuln-spec.json, alpine:3.12 (alpine 3.12.9))'],
      ['REPORT_VULNERABILITY', 'ssl_client 1.31.1-r21 is affected by CVE-2021-28831; fixed in 1.32.1-r4 (trivy report trivy/alpine-3.12-from-cosign-vuln-spec.json, alpine:3.12 (alpine 3.12.9))'],
    ]);
  });

  it('reads OpenVEX documents', () => {
    const { statements } = readVex('oci.openvex.json', text('openvex/trivy-oci.openvex.json'));
    expect(statements[0]?.products.slice(0, 4)).toEqual(['pkg:oci/trivy?repository_url=index.docker.io%2Faquasec%2Ftrivy', 'pkg:apk/alpine/busybox', 'pkg:apk/alpine/busybox-binsh', 'pkg:apk/alpine/ssl_client']);
    expect(readVex('x', text('openvex/trivy-result-openvex.json')).statements.map((s) => [s.vulnerability, s.status])).toEqual([['CVE-2019-0001', 'not_affected']]);
  });

  it('applies the allow-list until it expires, and --ignore-unfixed leaves out unfixed findings', () => {
    const trivy = report('trivy/debian-buster.json');
    const { entries, errors } = readAllowList('ignore.yaml', 'ignore:\n  - id: CVE-2019-18224\n    reason: not reachable, ticket SEC-1\n    expires: 2026-12-31\n  - id: CVE-2019-18276\n    reason: old\n    expires: 2020-01-01\n');
    expect(errors).toEqual([]);
    expect(gateFindings([trivy], { allow: entries, now: NOW }).map((f) => [f.severity, f.suppressed ?? null])).toEqual([
      ['low', null],
      ['critical', { by: 'config', reason: 'not reachable, ticket SEC-1', expires: '2026-12-31' }],
    ]);
    expect(gateFindings([trivy], { ignoreUnfixed: true, now: NOW }).map((f) => f.severity)).toEqual(['critical']);
    expect(readAllowList('bad.yaml', 'ignore:\n  - id: CVE-1\n').errors.map((e) => e.code)).toEqual(['CONFIG_INVALID']);
  });

  it('matches purls by type, namespace, name and (when given) version', () => {
    expect([
      purlMatches('pkg:apk/alpine/busybox', 'pkg:apk/alpine/busybox@1.36.1-r2?arch=x86_64'),
      purlMatches('pkg:apk/alpine/busybox@1.0', 'pkg:apk/alpine/busybox@1.36.1-r2'),
      purlMatches('pkg:npm/%40s/x', 'pkg:npm/%40s/x@1.0.0'),
      purlMatches('pkg:npm/x', 'pkg:pypi/x@1'),
    ]).toEqual([true, false, true, false]);
  });
});
