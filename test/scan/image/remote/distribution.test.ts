import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanImage } from '../../../../src/scan/image/index.js';
import { buildImage, dockerArchive, writeOciLayout, type BuiltImage } from '../imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from '../rootfs.js';

/**
 * The real thing: Debian's `docker-registry` (CNCF distribution 2.8) on loopback. The image is
 * pushed with the distribution API's monolithic upload, then scanned by reference; the result
 * must equal the scans of the same image as an OCI layout and as a docker archive.
 */
function haveRegistryBinary(): boolean {
  try {
    execFileSync('sh', ['-c', 'command -v docker-registry'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
// Tests never install packages: .ci/system-packages installs docker-registry in CI; elsewhere the suite says why it skips.
const haveRegistry = haveRegistryBinary();
if (!haveRegistry) console.warn('skipping the distribution registry tests: docker-registry is not installed (apt-get install docker-registry; .ci/system-packages does it in CI)');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`registry did not start: ${url}`);
}

async function push(base: string, repository: string, tag: string, built: BuiltImage): Promise<void> {
  const manifest = JSON.parse(built.manifest.toString()) as { config: { digest: string }; layers: Array<{ digest: string }> };
  for (const digest of [manifest.config.digest, ...manifest.layers.map((l) => l.digest)]) {
    const start = await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
    expect(start.status).toBe(202);
    const location = new URL(start.headers.get('location') as string, base);
    location.searchParams.set('digest', digest);
    const put = await fetch(location, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: built.blobs.get(digest.slice(7)) });
    expect(put.status).toBe(201);
  }
  const put = await fetch(`${base}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, body: built.manifest });
  expect(put.status).toBe(201);
}

let registry: ChildProcess | undefined;
let host = '';
let work = '';
let built: BuiltImage;

beforeAll(async () => {
  if (!haveRegistry) return;
  work = await mkdtemp(join(tmpdir(), 'palisade-distribution-'));
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  await writeFile(join(work, 'config.yml'), `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(work, 'data')}\nhttp:\n  addr: ${host}\n`);
  registry = spawn('docker-registry', ['serve', join(work, 'config.yml')], { stdio: 'ignore' });
  await waitFor(`http://${host}/v2/`);
  built = await buildImage({ layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER, compression: 'zstd' }], config: { User: '1000', ExposedPorts: { '8081/tcp': {} } } });
  await push(`http://${host}`, 'team/serve', '1', built);
  await writeOciLayout(join(work, 'layout'), built, 'serve:1');
  await writeFile(join(work, 'image.tar'), await dockerArchive(built, 'serve:1'));
}, 120_000);

afterAll(() => {
  registry?.kill();
});

describe.skipIf(!haveRegistry)('a real distribution registry on loopback', () => {
  it('gives the same packages, layers and findings from the registry, the layout and the docker archive', async () => {
    const [fromRegistry, fromLayout, fromArchive] = await Promise.all([scanImage(`${host}/team/serve:1`), scanImage(join(work, 'layout')), scanImage(join(work, 'image.tar'))]);
    expect([fromRegistry.errors, fromLayout.errors, fromArchive.errors]).toEqual([[], [], []]);
    expect(fromRegistry.packages).toHaveLength(7);
    expect(fromRegistry.packages).toEqual(fromLayout.packages);
    expect(fromArchive.packages).toEqual(fromLayout.packages);
    expect(fromRegistry.image.layers.map((l) => l.diffId)).toEqual(built.diffIds);
    expect(fromRegistry.image.manifestDigest).toBe(built.manifestDigest);
    const checks = (findings: typeof fromLayout.findings) => findings.map((f) => [f.checkId, f.severity]);
    expect(checks(fromRegistry.findings)).toEqual(checks(fromLayout.findings));
    expect(checks(fromArchive.findings)).toEqual(checks(fromLayout.findings));
  });

  it('reports an unknown tag as IMAGE_REMOTE_FAILED', async () => {
    expect((await scanImage(`${host}/team/serve:missing`)).errors.map((e) => e.code)).toEqual(['IMAGE_REMOTE_FAILED']);
  });
});
