import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImage, dockerArchive, writeOciLayout } from './imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from './rootfs.js';

/** End to end: the built CLI, as a user types it, from the repository root. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function palisade(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli/main.js', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

let work = '';
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'palisade-cli-'));
  const built = await buildImage({
    layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER, compression: 'zstd' }],
    config: { User: '10001', ExposedPorts: { '8080/tcp': {} }, Env: ['PATH=/usr/bin'] },
  });
  await writeOciLayout(join(work, 'layout'), built, 'serve:1');
  await writeFile(join(work, 'image.tar'), await dockerArchive(built, 'serve:1'));
  await mkdir(join(work, 'osv', 'Debian'), { recursive: true });
  await writeFile(
    join(work, 'osv', 'Debian', 'DEBIAN-CVE-2024-1.json'),
    JSON.stringify({ id: 'DEBIAN-CVE-2024-1', aliases: ['CVE-2024-1'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [{ package: { ecosystem: 'Debian:12', name: 'glibc' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.36-9+deb12u4' }] }] }] }),
  );
  await writeFile(join(work, 'osv', 'GHSA-low.json'), JSON.stringify({ id: 'GHSA-low', database_specific: { severity: 'LOW' }, affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }));
  // An image as insecure as many model-server images: no user, TorchServe's management port, a hub token in Env.
  const insecure = await buildImage({
    layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER, compression: 'zstd' }],
    config: { User: '', ExposedPorts: { '8080/tcp': {}, '8081/tcp': {} }, Env: ['PATH=/usr/bin', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789'], Cmd: ['torchserve'] },
  });
  await writeOciLayout(join(work, 'insecure'), insecure, 'serve:insecure');
  await mkdir(join(work, 'docker'), { recursive: true });
  await writeFile(join(work, 'docker', 'Dockerfile'), 'FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000\nUSER 10001\nCMD ["python", "serve.py"]\n');
  await writeFile(join(work, 'docker', 'Dockerfile.gpu'), 'FROM nvidia/cuda\nENV HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123456789\n');
}, 60_000);

describe('palisade scan image', () => {
  it('prints the DESIGN.md report with image, packages and vulnerabilities, and fails the gate on a critical', () => {
    const { status, stdout } = palisade('scan', 'image', join(work, 'layout'), '--db', join(work, 'osv'), '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(1);
    expect(report.image.repoTags).toEqual(['serve:1']);
    expect(report.image.distro.ecosystem).toBe('Debian:12');
    expect(report.packages.map((p: { name: string }) => p.name)).toEqual(['libc6', 'libssl3', 'zlib1g', 'PyYAML', 'torch_serve', '@scope/tool', 'left-pad']);
    expect(report.vulnerabilities.map((v: { id: string; package: string; severity: string; fixedIn: string[] }) => [v.id, v.package, v.severity, v.fixedIn])).toEqual([
      ['DEBIAN-CVE-2024-1', 'libc6', 'critical', ['2.36-9+deb12u4']],
      ['GHSA-low', 'left-pad', 'low', []],
    ]);
    expect(report.database).toEqual({ path: join(work, 'osv'), advisories: 2, withdrawn: 0 });
    // The real model scanner judges the pickle that calls os.system.
    expect(report.models.map((m: { path: string; verdict: string }) => [m.path, m.verdict])).toEqual([['models/model.pt', 'malicious']]);
    expect(report.summary).toEqual({ critical: 2, high: 0, medium: 0, low: 1, info: 0, suppressed: 0 });
  });

  it('gives the same packages from the docker archive, and --ignore-unfixed drops unfixed matches', () => {
    const layout = JSON.parse(palisade('scan', 'image', join(work, 'layout'), '--format', 'json', '--no-models').stdout);
    const archive = palisade('scan', 'image', join(work, 'image.tar'), '--db', join(work, 'osv'), '--ignore-unfixed', '--no-models', '--format', 'json', '--fail-on', 'none');
    expect(archive.status).toBe(0);
    const report = JSON.parse(archive.stdout);
    expect(report.packages).toEqual(layout.packages);
    expect(report.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(['DEBIAN-CVE-2024-1']);
    expect(report.models).toEqual([{ path: 'models/model.pt', layer: layout.image.layers[1].diffId, size: 14, sha256: report.models[0].sha256, notScanned: 'no model scanner' }]);
  });

  it('prints a CycloneDX SBOM with --sbom and writes SPDX with -o', async () => {
    const spdxFile = join(work, 'out', 'sbom.spdx.json');
    // -o writes into an existing directory only (issue 13).
    await mkdir(join(work, 'out'), { recursive: true });
    const { status, stdout } = palisade('scan', 'image', join(work, 'image.tar'), '--sbom', 'cyclonedx', '-o', `spdx=${spdxFile}`, '--no-models', '--fail-on', 'none');
    expect(status).toBe(0);
    const bom = JSON.parse(stdout);
    expect([bom.bomFormat, bom.specVersion, bom.components.length]).toEqual(['CycloneDX', '1.6', 8]);
    const spdx = JSON.parse(await readFile(spdxFile, 'utf8'));
    expect([spdx.spdxVersion, spdx.packages.length, spdx.creationInfo.created]).toEqual(['SPDX-2.3', 9, expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)]);
  });

  it('reports the image facts as findings with their rule ids, severities and config pointers', () => {
    const { status, stdout } = palisade('scan', 'image', join(work, 'insecure'), '--db', join(work, 'osv'), '--no-models', '--format', 'json');
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ checkId: string; severity: string; message: string; path?: string }> };
    expect(report.findings.map((f) => [f.checkId, f.severity, f.message, f.path ?? null])).toEqual([
      ['IMAGE_ADMIN_PORT', 'medium', 'image serve:insecure exposes 8081/tcp: TorchServe management API (registers models from any URL (CVE-2023-43654))', '/config/ExposedPorts/8081~1tcp'],
      ['IMAGE_MODEL_FILE', 'medium', 'models/model.pt in image serve:insecure is a pickle-based model that was not scanned (no model scanner)', null],
      ['IMAGE_ROOT_USER', 'high', 'image serve:insecure sets no user, so it runs as root', '/config/User'],
      ['IMAGE_SECRET_IN_ENV', 'high', 'image serve:insecure sets HF_TOKEN to a Hugging Face token', '/config/Env/1'],
      ['IMAGE_VULNERABILITY', 'critical', 'libc6 2.36-9+deb12u3 is affected by DEBIAN-CVE-2024-1 (CVE-2024-1); fixed in 2.36-9+deb12u4', null],
      ['IMAGE_VULNERABILITY', 'low', 'left-pad 1.3.0 is affected by GHSA-low; no fixed version yet', null],
    ]);
    // the token never reaches the report
    expect(stdout).not.toContain('hf_abcdefghijklmnopqrstuvwxyz0123456789');
  });

  it('exits 2 and reports IMAGE_NOT_FOUND for a missing image, and 2 for a missing database', () => {
    const missing = palisade('scan', 'image', join(work, 'nope'), '--format', 'json');
    expect(missing.status).toBe(2);
    expect(JSON.parse(missing.stdout).findings.map((f: { checkId: string }) => f.checkId)).toEqual(['IMAGE_NOT_FOUND']);
    const noDb = palisade('scan', 'image', join(work, 'layout'), '--db', join(work, 'no-db'));
    expect([noDb.status, /OSV database/.test(noDb.stderr)]).toEqual([2, true]);
  });
});

describe('palisade scan dockerfile', () => {
  it('walks a directory and reports exact positions', () => {
    const { status, stdout } = palisade('scan', 'dockerfile', join(work, 'docker'), '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(1);
    const gpu = join(work, 'docker', 'Dockerfile.gpu');
    expect(report.findings.map((f: { checkId: string; location: { file: string; line: number; column: number } }) => [f.checkId, f.location.file === gpu ? 'gpu' : 'main', f.location.line, f.location.column])).toEqual([
      ['DOCKERFILE_ROOT_USER', 'gpu', 1, 1],
      ['DOCKERFILE_BASE_LATEST', 'gpu', 1, 6],
      ['DOCKERFILE_BASE_NO_DIGEST', 'gpu', 1, 6],
      ['DOCKERFILE_SECRET_IN_ENV', 'gpu', 2, 5],
    ]);
  });

  it('exits 0 on a hardened Dockerfile and 2 on a missing path', () => {
    expect(palisade('scan', 'dockerfile', join(work, 'docker', 'Dockerfile')).status).toBe(0);
    expect(palisade('scan', 'dockerfile', join(work, 'missing')).status).toBe(2);
  });
});

describe('palisade scan report', () => {
  it('gates on shared Trivy and Grype reports, and a VEX statement suppresses what it names', async () => {
    const reports = resolve(ROOT, '../shared/fixtures/reports');
    const plain = palisade('scan', 'report', join(reports, 'trivy/alpine-39-high-critical.json'), join(reports, 'grype/grype-dir.json'), '--format', 'json');
    expect(plain.status).toBe(1);
    expect(JSON.parse(plain.stdout).summary).toEqual({ critical: 3, high: 0, medium: 0, low: 1, info: 0, suppressed: 0 });
    const vex = join(work, 'musl.openvex.json');
    await writeFile(vex, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ vulnerability: { name: 'CVE-2019-14697' }, products: [{ '@id': 'pkg:apk/alpine/musl' }, { '@id': 'pkg:apk/alpine/musl-utils' }], status: 'not_affected', justification: 'vulnerable_code_not_present' }] }));
    const suppressed = palisade('scan', 'report', join(reports, 'trivy/alpine-39-high-critical.json'), '--vex', vex, '--format', 'json');
    expect(suppressed.status).toBe(0);
    expect(JSON.parse(suppressed.stdout).summary).toEqual({ critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 2 });
  });

  it('re-scans an SBOM offline with --db: the SBOM of an image gives the vulnerabilities of the image', async () => {
    const sbom = join(work, 'serve.cdx.json');
    await writeFile(sbom, palisade('scan', 'image', join(work, 'layout'), '--sbom', 'cyclonedx', '--no-models', '--fail-on', 'none').stdout);
    const { status, stdout } = palisade('scan', 'report', sbom, '--db', join(work, 'osv'), '--format', 'json');
    const report = JSON.parse(stdout);
    expect(status).toBe(1);
    expect(report.reports).toEqual([{ file: sbom, format: 'cyclonedx', artifact: 'serve:1', createdAt: null, packages: 7, vulnerabilities: 2 }]);
    expect(report.vulnerabilities.map((v: { id: string; package: string; severity: string }) => [v.id, v.package, v.severity])).toEqual([
      ['DEBIAN-CVE-2024-1', 'libc6', 'critical'],
      ['GHSA-low', 'left-pad', 'low'],
    ]);
  });
});
