import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerConfigCredentials, parseImageReference, scanImage } from '../../../../src/scan/image/index.js';
import { parseChallenge } from '../../../../src/scan/image/remote/index.js';
import { buildImage, writeOciLayout, type BuiltImage } from '../imageBuilder.js';
import { APP_LAYER, DEBIAN_BASE } from '../rootfs.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TOKEN = 'token-for-user';
const BASIC = `Basic ${Buffer.from('user:pass').toString('base64')}`;

/**
 * A registry speaking the OCI distribution API with token auth, as Docker Hub and the CNCF
 * distribution server do: 401 + Bearer challenge, a token endpoint behind basic auth, a
 * multi-platform index whose linux/amd64 entry is the image under test.
 */
interface FakeRegistry {
  server: Server;
  host: string;
  log: string[];
  tamper: boolean;
}

async function startRegistry(image: BuiltImage, other: BuiltImage): Promise<FakeRegistry> {
  const blobs = new Map<string, Buffer>([...image.blobs, ...other.blobs].map(([hex, b]) => [`sha256:${hex}`, b]));
  const index = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: other.manifestDigest, size: other.manifest.length, platform: { os: 'linux', architecture: 'arm64' } },
      { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  }));
  const registry: FakeRegistry = { server: createServer(), host: '', log: [], tamper: false };
  registry.server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    registry.log.push(`${req.method} ${url.pathname}${req.headers.authorization ? ` (${req.headers.authorization.split(' ')[0]})` : ''}`);
    if (url.pathname === '/token') {
      if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
      expect([url.searchParams.get('service'), url.searchParams.get('scope')]).toEqual(['test-registry', 'repository:team/serve:pull']);
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return void res.writeHead(401, { 'www-authenticate': `Bearer realm="http://${registry.host}/token",service="test-registry",scope="repository:team/serve:pull"` }).end();
    }
    const manifest = /^\/v2\/team\/serve\/manifests\/(.+)$/.exec(url.pathname)?.[1];
    if (manifest === '1') return void res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(index);
    if (manifest) {
      const body = blobs.get(manifest);
      return void (body ? res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(body) : res.writeHead(404).end());
    }
    const blob = /^\/v2\/team\/serve\/blobs\/(.+)$/.exec(url.pathname)?.[1];
    const body = blob ? blobs.get(blob) : undefined;
    if (!body) return void res.writeHead(404).end();
    const sent = registry.tamper && body.length > 1000 ? Buffer.concat([body.subarray(0, -1), Buffer.from([body.at(-1)! ^ 1])]) : body;
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(sent);
  });
  await new Promise<void>((r) => registry.server.listen(0, '127.0.0.1', () => r()));
  registry.host = `127.0.0.1:${(registry.server.address() as AddressInfo).port}`;
  return registry;
}

let registry: FakeRegistry;
let layout = '';
beforeAll(async () => {
  const image = await buildImage({ layers: [{ files: DEBIAN_BASE }, { files: APP_LAYER, compression: 'zstd' }], config: { User: '1000' } });
  const other = await buildImage({ layers: [{ files: [{ path: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.0\n' }] }], architecture: 'arm64' });
  layout = await mkdtemp(join(tmpdir(), 'palisade-reg-'));
  await writeOciLayout(layout, image, 'serve:1');
  registry = await startRegistry(image, other);
});
afterAll(() => new Promise<void>((r) => registry.server.close(() => r())));

const credentials = () => dockerConfigCredentials(JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('user:pass').toString('base64') } } }));

describe('pulling from a registry', () => {
  it('follows the bearer challenge with basic credentials, picks linux/amd64, and inventories exactly what the layout holds', async () => {
    registry.log.length = 0;
    const local = await scanImage(layout);
    const remote = await scanImage(`${registry.host}/team/serve:1`, { remote: { credentials: credentials() } });
    expect(remote.errors).toEqual([]);
    expect(remote.packages).toEqual(local.packages);
    expect(remote.image.distro).toEqual(local.image.distro);
    expect(remote.image.layers).toEqual(local.image.layers);
    expect(registry.log.slice(0, 3)).toEqual(['GET /v2/team/serve/manifests/1', 'GET /token (Basic)', 'GET /v2/team/serve/manifests/1 (Bearer)']);
  });

  it('fails as a value without credentials, and refuses a blob whose bytes do not match its digest', async () => {
    const anonymous = await scanImage(`${registry.host}/team/serve:1`);
    expect(anonymous.errors.map((e) => e.code)).toEqual(['IMAGE_REMOTE_FAILED']);
    registry.tamper = true;
    try {
      const tampered = await scanImage(`${registry.host}/team/serve:1`, { remote: { credentials: credentials() } });
      expect(tampered.errors.map((e) => e.code)).toEqual(['IMAGE_DIGEST_MISMATCH']);
    } finally {
      registry.tamper = false;
    }
  });

  it('parses references and challenges', () => {
    expect(parseImageReference('python:3.12')).toEqual({ registry: 'docker.io', repository: 'library/python', tag: '3.12' });
    expect(parseImageReference('localhost:5000/a/b@sha256:' + 'a'.repeat(64))).toEqual({ registry: 'localhost:5000', repository: 'a/b', digest: 'sha256:' + 'a'.repeat(64) });
    expect(parseImageReference('Bad/Upper')).toBeUndefined();
    expect(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/ubuntu:pull"')).toEqual({ scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/ubuntu:pull' } });
    expect(dockerConfigCredentials(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: Buffer.from('a:b:c').toString('base64') } } }))('docker.io')).toEqual({ username: 'a', password: 'b:c' });
  });

  it('the CLI pulls with credentials from $DOCKER_CONFIG and reports the same packages', async () => {
    const config = await mkdtemp(join(tmpdir(), 'palisade-dockercfg-'));
    await mkdir(config, { recursive: true });
    await writeFile(join(config, 'config.json'), JSON.stringify({ auths: { [registry.host]: { auth: Buffer.from('user:pass').toString('base64') } } }));
    const child = spawn(process.execPath, ['dist/cli/main.js', 'scan', 'image', `${registry.host}/team/serve:1`, '--format', 'json', '--no-models'], { cwd: ROOT, env: { ...process.env, DOCKER_CONFIG: config } });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const status = await new Promise<number | null>((r) => child.on('close', r));
    const report = JSON.parse(stdout);
    expect(report.image.input).toBe(`${registry.host}/team/serve:1`);
    expect(report.packages).toEqual((await scanImage(layout)).packages);
    // Nothing at or above high: the unscanned pickle is medium, the image runs as uid 1000.
    expect([status, report.findings.map((f: { checkId: string }) => f.checkId)]).toEqual([0, ['IMAGE_MODEL_FILE']]);
  });
});
