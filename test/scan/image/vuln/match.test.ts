import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ImagePackage } from '../../../../src/scan/image/types.js';
import { ecosystemMatches, indexAdvisories, loadOsvDatabase, matchPackages, readAdvisory } from '../../../../src/scan/image/vuln/index.js';

const ADVISORIES = [
  {
    id: 'DEBIAN-CVE-2024-0001',
    aliases: ['CVE-2024-0001'],
    summary: 'glibc overflow',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [
      { package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }] }] },
      { package: { ecosystem: 'Debian:11', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.31-13+deb11u9' }] }] },
    ],
  },
  {
    id: 'GHSA-aaaa-bbbb-cccc',
    aliases: ['CVE-2024-0002'],
    database_specific: { severity: 'MODERATE' },
    affected: [{ package: { ecosystem: 'PyPI', name: 'Torch_Serve' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '0.8.2' }] }] }],
  },
  {
    id: 'PYSEC-withdrawn',
    withdrawn: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'PyPI', name: 'torch-serve' }, versions: ['0.8.0'] }],
  },
  {
    id: 'OSV-GIT-1',
    affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'GIT', repo: 'https://github.com/x/left-pad', events: [{ introduced: '0' }, { fixed: 'abc123' }] }] }],
  },
  {
    id: 'ALPINE-CVE-2024-0003',
    affected: [{ package: { ecosystem: 'Alpine:v3.19', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r5' }] }] }],
  },
];

const PACKAGES: ImagePackage[] = [
  { name: 'libc6', version: '2.36-9+deb12u3', ecosystem: 'Debian:12', purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u3?distro=debian-12', path: 'var/lib/dpkg/status', layer: 'sha256:l1', source: { name: 'glibc' } },
  { name: 'libc-bin', version: '2.36-9+deb12u4', ecosystem: 'Debian:12', purl: 'pkg:deb/debian/libc-bin@2.36-9%2Bdeb12u4', path: 'var/lib/dpkg/status', source: { name: 'glibc' } },
  { name: 'torch_serve', version: '0.8.0', ecosystem: 'PyPI', purl: 'pkg:pypi/torch-serve@0.8.0', path: 'usr/lib/python3/site-packages/torch_serve-0.8.0.dist-info/METADATA' },
  { name: 'left-pad', version: '1.3.0', ecosystem: 'npm', purl: 'pkg:npm/left-pad@1.3.0', path: 'app/node_modules/left-pad/package.json' },
  { name: 'libssl3', version: '3.1.4-r4', ecosystem: 'Alpine:v3.19', purl: 'pkg:apk/alpine/libssl3@3.1.4-r4', path: 'lib/apk/db/installed', source: { name: 'openssl' } },
  { name: 'libssl3', version: '3.1.4-r4', ecosystem: 'Alpine:v3.18', purl: 'pkg:apk/alpine/libssl3@3.1.4-r4', path: 'lib/apk/db/installed', source: { name: 'openssl' } },
];

function database() {
  return indexAdvisories(ADVISORIES.map((a) => readAdvisory(a)).filter((a) => a !== undefined));
}

describe('matchPackages', () => {
  it('matches through source packages, releases and normalised names, and keeps GIT-only matches as not evaluable', () => {
    const db = database();
    expect([db.size, db.withdrawn]).toEqual([4, 1]);
    expect(matchPackages(PACKAGES, db).map((m) => [m.id, m.package, m.version, m.status, m.fixedIn, m.severity, m.severitySource, m.sourcePackage ?? null])).toEqual([
      ['DEBIAN-CVE-2024-0001', 'libc6', '2.36-9+deb12u3', 'affected', ['2.36-9+deb12u4'], 'critical', 'CVSS v3', 'glibc'],
      ['GHSA-aaaa-bbbb-cccc', 'torch_serve', '0.8.0', 'affected', ['0.8.2'], 'medium', 'database', null],
      ['OSV-GIT-1', 'left-pad', '1.3.0', 'not-evaluable', [], 'unknown', 'none', null],
      ['ALPINE-CVE-2024-0003', 'libssl3', '3.1.4-r4', 'affected', ['3.1.4-r5'], 'unknown', 'none', 'openssl'],
    ]);
  });

  it('compares ecosystems component-wise', () => {
    expect([
      ecosystemMatches('Debian:12', 'Debian:12'),
      ecosystemMatches('Debian', 'Debian:12'),
      ecosystemMatches('Ubuntu:22.04:LTS', 'Ubuntu:22.04'),
      ecosystemMatches('Debian:11', 'Debian:12'),
      ecosystemMatches('Alpine:v3.1', 'Alpine:v3.19'),
    ]).toEqual([true, true, true, false, false]);
  });
});

describe('loadOsvDatabase', () => {
  it('reads JSON files at any depth and zips of them, and reports bad files as values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-osv-'));
    await mkdir(join(dir, 'Debian'), { recursive: true });
    await writeFile(join(dir, 'Debian', 'DEBIAN-CVE-2024-0001.json'), JSON.stringify(ADVISORIES[0]));
    await writeFile(join(dir, 'PyPI.zip'), zipSync({ 'GHSA-aaaa-bbbb-cccc.json': strToU8(JSON.stringify(ADVISORIES[1])), 'PYSEC-withdrawn.json': strToU8(JSON.stringify(ADVISORIES[2])) }));
    await writeFile(join(dir, 'broken.json'), '{');
    const loaded = await loadOsvDatabase(dir);
    expect([loaded.database.size, loaded.database.withdrawn]).toEqual([2, 1]);
    expect(loaded.errors.map((e) => e.code)).toEqual(['OSV_BAD_JSON']);
    expect(matchPackages(PACKAGES, loaded.database).map((m) => m.id)).toEqual(['DEBIAN-CVE-2024-0001', 'GHSA-aaaa-bbbb-cccc']);
    expect((await loadOsvDatabase(join(dir, 'missing'))).errors.map((e) => e.code)).toEqual(['OSV_DB_NOT_FOUND']);
  });
});
