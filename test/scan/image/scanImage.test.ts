import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanImage, type ModelScanner } from '../../../src/scan/image/index.js';
import { indexAdvisories, readAdvisory } from '../../../src/scan/image/vuln/index.js';
import { buildImage, dockerArchive, ociArchive, writeOciLayout } from './imageBuilder.js';
import { ALPINE_BASE, APP_LAYER, DEBIAN_BASE } from './rootfs.js';

const OSV = [
  { id: 'DEBIAN-CVE-2024-1', aliases: ['CVE-2024-1'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }] }] }] },
  { id: 'DEBIAN-CVE-2024-2', affected: [{ package: { ecosystem: 'Debian:12', name: 'zlib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1:1.2.13.dfsg-1' }] }] }] },
  { id: 'GHSA-yaml', database_specific: { severity: 'CRITICAL' }, affected: [{ package: { ecosystem: 'PyPI', name: 'pyyaml' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }] }] },
  { id: 'GHSA-tool', database_specific: { severity: 'LOW' }, affected: [{ package: { ecosystem: 'npm', name: '@scope/tool' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0-alpha.1' }, { fixed: '2.0.0' }] }] }] },
  { id: 'ALPINE-CVE-2024-3', affected: [{ package: { ecosystem: 'Alpine:v3.19', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.1.4-r5' }] }] }] },
];
const database = indexAdvisories(OSV.map((a) => readAdvisory(a)).filter((a) => a !== undefined));

async function debianImage(): Promise<Record<string, string>> {
  const built = await buildImage({
    layers: [{ files: DEBIAN_BASE, compression: 'gzip' }, { files: APP_LAYER, compression: 'zstd' }],
    config: { User: '', ExposedPorts: { '8080/tcp': {}, '8081/tcp': {} }, Env: ['PATH=/usr/bin', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789'], Cmd: ['torchserve'] },
  });
  const dir = await mkdtemp(join(tmpdir(), 'palisade-scan-'));
  await writeOciLayout(join(dir, 'layout'), built, 'serve:1');
  await writeFile(join(dir, 'oci.tar'), await ociArchive(built, 'serve:1'));
  await writeFile(join(dir, 'docker.tar'), await dockerArchive(built, 'serve:1'));
  return { layout: join(dir, 'layout'), oci: join(dir, 'oci.tar'), docker: join(dir, 'docker.tar') };
}

describe('scanImage', () => {
  it('inventories exactly the packages the image holds, identically from layout, OCI archive and docker archive', async () => {
    const forms = await debianImage();
    const results = await Promise.all(Object.values(forms).map((path) => scanImage(path, { database })));
    for (const result of results) expect(result.errors).toEqual([]);
    const first = results[0];
    expect(first?.image.distro).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)', ecosystem: 'Debian:12' });
    expect(first?.packages.map((p) => [p.ecosystem, p.name, p.version, p.purl, p.path, p.source ?? null])).toEqual([
      ['Debian:12', 'libc6', '2.36-9+deb12u3', 'pkg:deb/debian/libc6@2.36-9+deb12u3?arch=amd64&distro=debian-12', 'var/lib/dpkg/status', { name: 'glibc' }],
      ['Debian:12', 'libssl3', '3.0.11-1~deb12u2', 'pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12', 'var/lib/dpkg/status.d/openssl', { name: 'openssl' }],
      ['Debian:12', 'zlib1g', '1:1.2.13.dfsg-1+b1', 'pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1+b1?arch=amd64&distro=debian-12', 'var/lib/dpkg/status', { name: 'zlib', version: '1:1.2.13.dfsg-1' }],
      ['PyPI', 'PyYAML', '5.3.1', 'pkg:pypi/pyyaml@5.3.1', 'usr/local/lib/python3.11/site-packages/PyYAML-5.3.1-py3.11.egg-info/PKG-INFO', null],
      ['PyPI', 'torch_serve', '0.8.0', 'pkg:pypi/torch-serve@0.8.0', 'usr/local/lib/python3.11/site-packages/torch_serve-0.8.0.dist-info/METADATA', null],
      ['npm', '@scope/tool', '2.0.0-beta.1', 'pkg:npm/%40scope/tool@2.0.0-beta.1', 'app/node_modules/@scope/tool/package.json', null],
      ['npm', 'left-pad', '1.3.0', 'pkg:npm/left-pad@1.3.0', 'app/node_modules/left-pad/package.json', null],
    ]);
    const strip = (r: (typeof results)[number]) => ({ packages: r.packages, vulnerabilities: r.vulnerabilities, models: r.models, findings: r.findings, distro: r.image.distro });
    expect(strip(results[1] as (typeof results)[number])).toEqual(strip(first as (typeof results)[number]));
    expect(strip(results[2] as (typeof results)[number])).toEqual(strip(first as (typeof results)[number]));
    expect(first?.packages.map((p) => p.layer)).toEqual([...Array(3).fill(first?.image.layers[0]?.diffId), ...Array(4).fill(first?.image.layers[1]?.diffId)]);
  });

  it('matches vulnerabilities with source versions and reports image facts as findings', async () => {
    const { layout } = await debianImage();
    const result = await scanImage(layout as string, { database });
    // zlib's source version 1:1.2.13.dfsg-1 is the fixed one, though the binary version is newer.
    expect(result.vulnerabilities.map((v) => [v.id, v.package, v.severity, v.fixedIn])).toEqual([
      ['DEBIAN-CVE-2024-1', 'libc6', 'critical', ['2.36-9+deb12u4']],
      ['GHSA-yaml', 'PyYAML', 'critical', ['5.4']],
      ['GHSA-tool', '@scope/tool', 'low', ['2.0.0']],
    ]);
    expect(result.findings.map((f) => [f.checkId, f.severity, f.message, f.path ?? null])).toEqual([
      ['IMAGE_ADMIN_PORT', 'medium', 'image serve:1 exposes 8081/tcp: TorchServe management API (registers models from any URL (CVE-2023-43654))', '/config/ExposedPorts/8081~1tcp'],
      ['IMAGE_MODEL_FILE', 'medium', 'models/model.pt in image serve:1 is a pickle-based model that was not scanned (no model scanner)', null],
      ['IMAGE_ROOT_USER', 'high', 'image serve:1 sets no user, so it runs as root', '/config/User'],
      ['IMAGE_SECRET_IN_ENV', 'high', 'image serve:1 sets HF_TOKEN to a Hugging Face token', '/config/Env/1'],
      ['IMAGE_VULNERABILITY', 'critical', 'libc6 2.36-9+deb12u3 is affected by DEBIAN-CVE-2024-1 (CVE-2024-1); fixed in 2.36-9+deb12u4', null],
      ['IMAGE_VULNERABILITY', 'critical', 'PyYAML 5.3.1 is affected by GHSA-yaml; fixed in 5.4', null],
      ['IMAGE_VULNERABILITY', 'low', '@scope/tool 2.0.0-beta.1 is affected by GHSA-tool; fixed in 2.0.0', null],
    ]);
    expect(result.image.env).toEqual(['PATH=/usr/bin', 'HF_TOKEN=<redacted>']);
  });

  it('hands model files to the model scanner and turns its verdict into a finding', async () => {
    const { layout } = await debianImage();
    const seen: string[] = [];
    const spooled: Array<string | undefined> = [];
    const scanner: ModelScanner = async ({ path, bytes, localFile }) => {
      seen.push(`${path}:${bytes ? bytes.length : `file of ${(await readFile(localFile as string)).length}`}`);
      spooled.push(localFile);
      return { format: 'pickle', verdict: 'malicious', findings: [{ rule: 'dangerous-global', severity: 'critical', message: 'posix.system at offset 2', global: 'posix.system', offset: 2 }] };
    };
    const result = await scanImage(layout as string, { modelScanner: scanner });
    expect(seen).toEqual(['models/model.pt:14']);
    // Above maxModelBytes the scanner gets a temporary copy on disk, removed after the scan.
    await scanImage(layout as string, { modelScanner: scanner, maxModelBytes: 4 });
    expect(seen).toEqual(['models/model.pt:14', 'models/model.pt:file of 14']);
    expect(existsSync(spooled[1] as string)).toBe(false);
    const failing = await scanImage(layout as string, { modelScanner: async () => Promise.reject(new Error('boom')) });
    expect(failing.findings.filter((f) => f.checkId === 'IMAGE_MODEL_FILE').map((f) => f.message)).toEqual(['models/model.pt in image serve:1 is a pickle-based model that was not scanned (the model scanner failed: boom)']);
    expect(result.models.map((m) => [m.path, m.verdict, m.size])).toEqual([['models/model.pt', 'malicious', 14]]);
    expect(result.findings.filter((f) => f.checkId === 'IMAGE_MODEL_FILE').map((f) => [f.severity, f.message])).toEqual([['critical', 'models/model.pt in image serve:1 is malicious: posix.system at offset 2']]);
  });

  it('reads Alpine images through apk origins and the v-prefixed release', async () => {
    const built = await buildImage({ layers: [{ files: ALPINE_BASE, compression: 'none' }], config: { User: '65532', Labels: { 'org.opencontainers.image.base.name': 'docker.io/library/alpine:3.19', 'org.opencontainers.image.base.digest': 'sha256:abc' } } });
    const dir = await mkdtemp(join(tmpdir(), 'palisade-scan-'));
    await writeOciLayout(dir, built);
    const result = await scanImage(dir, { database });
    expect(result.packages.map((p) => [p.ecosystem, p.name, p.version, p.purl, p.source?.name])).toEqual([
      ['Alpine:v3.19', 'libssl3', '3.1.4-r4', 'pkg:apk/alpine/libssl3@3.1.4-r4?arch=x86_64&distro=3.19.1', 'openssl'],
      ['Alpine:v3.19', 'musl', '1.2.4_git20230717-r4', 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1', 'musl'],
    ]);
    expect(result.vulnerabilities.map((v) => [v.id, v.package, v.fixedIn])).toEqual([['ALPINE-CVE-2024-3', 'libssl3', ['3.1.4-r5']]]);
    expect(result.findings.map((f) => f.checkId)).toEqual(['IMAGE_VULNERABILITY']);
    expect(result.image.baseImage).toBe('docker.io/library/alpine:3.19@sha256:abc');
  });
});
