import { mkdtemp } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReport } from '../../../../src/cli/common.js';
import { scanImage } from '../../../../src/scan/image/index.js';
import { gateFindings, readScanReport, rematch } from '../../../../src/scan/image/reports/index.js';
import { cyclonedx, spdx } from '../../../../src/scan/image/sbom/index.js';
import { indexAdvisories, normalizePackageName, readAdvisory } from '../../../../src/scan/image/vuln/index.js';
import { buildImage, writeOciLayout } from '../imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from '../rootfs.js';

const REPORTS = new URL('../../../../../shared/fixtures/reports/', import.meta.url);

describe('SBOMs as input', () => {
  it("reads back palisade's own CycloneDX SBOM with the same packages and source packages; SPDX without sources", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-sbom-in-'));
    await writeOciLayout(dir, await buildImage({ layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER }] }));
    const scan = await scanImage(dir);
    const report = makeReport([dir], scan.findings, { image: scan.image, packages: scan.packages, models: scan.models });
    // purls carry PyPI names normalised (PEP 503), which is also how matching compares them.
    const key = (p: { ecosystem: string; name: string; version: string; purl: string }) => `${p.ecosystem} ${normalizePackageName(p.ecosystem, p.name)} ${p.version} ${p.purl}`;
    const fromCdx = readScanReport('bom.json', cyclonedx(report)).report?.packages ?? [];
    expect(fromCdx.map(key).sort()).toEqual(scan.packages.map(key).sort());
    expect(fromCdx.find((p) => p.name === 'zlib1g')?.source).toEqual({ name: 'zlib', version: '1:1.2.13.dfsg-1' });
    const fromSpdx = readScanReport('bom.spdx.json', spdx(report)).report;
    expect([fromSpdx?.format, fromSpdx?.packages?.map(key).sort()]).toEqual(['spdx', scan.packages.map(key).sort()]);
  });

  it("re-matches Trivy's CycloneDX packages (Debian 10 with Trivy's source-name properties) against an OSV database", () => {
    const text = readFileSync(new URL('cyclonedx/trivy-fluentd-short-cyclonedx-1.7.json', REPORTS), 'utf8');
    const report = readScanReport('fluentd.cdx.json', text).report;
    expect(report?.packages?.map((p) => [p.ecosystem, p.name, p.version, p.source?.name ?? null])).toEqual([
      ['Debian:10', 'bash', '5.0-4', 'bash'],
      ['Debian:10', 'libidn2-0', '2.0.5-1', 'libidn2'],
    ]);
    const database = indexAdvisories(
      [
        { id: 'DEBIAN-CVE-2019-99999', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N' }], affected: [{ package: { ecosystem: 'Debian:10', name: 'libidn2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.5-1+deb10u1' }] }] }] },
        { id: 'DEBIAN-CVE-2019-18224', affected: [{ package: { ecosystem: 'Debian:10', name: 'libidn2' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0.5-1+deb10u1' }] }] }] },
      ].map((a) => readAdvisory(a)).filter((a) => a !== undefined),
    );
    const rematched = rematch(report as NonNullable<typeof report>, database);
    // CVE-2019-18224 is already in the report (as its CVE id, a different identifier): only the new advisory is added.
    expect(rematched.vulnerabilities.slice(report?.vulnerabilities.length).map((v) => [v.id, v.package, v.severity, v.fixedIn])).toEqual([
      ['DEBIAN-CVE-2019-99999', 'libidn2-0', 'high', ['2.0.5-1+deb10u1']],
      ['DEBIAN-CVE-2019-18224', 'libidn2-0', 'unknown', ['2.0.5-1+deb10u1']],
    ]);
    expect(gateFindings([rematched], { now: new Date('2026-01-01T00:00:00Z') }).map((f) => f.severity)).toEqual(['critical', 'high', 'critical', 'high', 'medium']);
  });
});
