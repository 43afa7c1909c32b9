import { describe, expect, it } from 'vitest';
import { distroFromOsRelease, isInventoryPath, isNpmManifestPath, parseParagraphs, readApkInstalled, readDpkgStatus, readNpmManifest, readPythonMetadata } from '../../../../src/scan/image/inventory/index.js';

describe('os-release', () => {
  it.each([
    ['ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n', { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' }],
    ["ID=ubuntu\nVERSION_ID='22.04'\n", { id: 'ubuntu', versionId: '22.04', ecosystem: 'Ubuntu:22.04' }],
    ['ID=alpine\nVERSION_ID=3.19.1\n', { id: 'alpine', versionId: '3.19.1', ecosystem: 'Alpine:v3.19' }],
    ['ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"\n', { id: 'debian', prettyName: 'Debian GNU/Linux trixie/sid', ecosystem: 'Debian' }],
    ['ID="rhel"\nVERSION_ID="9.3"\n', { id: 'rhel', versionId: '9.3' }],
  ])('%j', (text, expected) => {
    expect(distroFromOsRelease(text)).toEqual(expected);
  });
});

describe('dpkg status', () => {
  it('reads paragraphs with continuation lines', () => {
    expect(parseParagraphs('A: 1\nB: two\n words\n\n\nA: 3\n')).toEqual([{ A: '1', B: 'two\nwords' }, { A: '3' }]);
  });

  it('keeps installed packages only, with Source name and version', () => {
    const text = 'Package: a\nStatus: install ok installed\nVersion: 1\nSource: s (2)\n\nPackage: b\nStatus: deinstall ok config-files\nVersion: 1\n\nPackage: c\nStatus: install ok half-installed\nVersion: 1\n\nPackage: d\nVersion: 4\n';
    const packages = readDpkgStatus(text, 'var/lib/dpkg/status', { id: 'ubuntu', versionId: '22.04', ecosystem: 'Ubuntu:22.04' }, 'sha256:l');
    expect(packages.map((p) => [p.name, p.version, p.ecosystem, p.purl, p.source ?? null, p.layer])).toEqual([
      ['a', '1', 'Ubuntu:22.04', 'pkg:deb/ubuntu/a@1?distro=ubuntu-22.04', { name: 's', version: '2' }, 'sha256:l'],
      ['d', '4', 'Ubuntu:22.04', 'pkg:deb/ubuntu/d@4?distro=ubuntu-22.04', null, 'sha256:l'],
    ]);
  });
});

describe('apk, Python and npm records', () => {
  it('reads apk records and their origin', () => {
    expect(readApkInstalled('P:busybox\nV:1.36.1-r15\nA:aarch64\no:busybox\nL:x\n\nP:broken\n', 'lib/apk/db/installed', undefined).map((p) => [p.name, p.version, p.ecosystem, p.purl, p.source?.name])).toEqual([['busybox', '1.36.1-r15', 'Alpine', 'pkg:apk/alpine/busybox@1.36.1-r15?arch=aarch64', 'busybox']]);
  });

  it('reads core metadata headers only, not the description body', () => {
    expect(readPythonMetadata('Name: Flask\nVersion: 3.0.0\nSummary: x\n\nName: fake\nVersion: 9\n', 'x.dist-info/METADATA').map((p) => [p.name, p.version, p.purl])).toEqual([['Flask', '3.0.0', 'pkg:pypi/flask@3.0.0']]);
    expect(readPythonMetadata('Summary: no name\n', 'x')).toEqual([]);
  });

  it('reads npm package roots only', () => {
    expect([
      'app/node_modules/a/package.json',
      'app/node_modules/@s/b/package.json',
      'app/node_modules/a/node_modules/c/package.json',
      'app/node_modules/a/lib/package.json',
      'app/package.json',
      'app/node_modules/@s/package.json',
    ].map(isNpmManifestPath)).toEqual([true, true, true, false, false, false]);
    expect(readNpmManifest('{"name":"@s/b","version":"1.0.0"}', 'p').map((p) => p.purl)).toEqual(['pkg:npm/%40s/b@1.0.0']);
    expect(readNpmManifest('{not json', 'p')).toEqual([]);
  });

  it('names the paths the inventory reads', () => {
    expect(['var/lib/dpkg/status', 'var/lib/dpkg/status.d/x', 'var/lib/dpkg/status.d/x.md5sums', 'lib/apk/db/installed', 'usr/lib/python3/dist-packages/six-1.16.0.egg-info', 'opt/venv/lib/python3.12/site-packages/torch-2.3.0.dist-info/METADATA', 'etc/passwd'].map(isInventoryPath)).toEqual([true, true, false, true, true, true, false]);
  });
});
