import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../../../src/scan/image/oci/index.js';
import { indexTar } from '../../../../src/scan/image/oci/tarIndex.js';
import { buildImage, tarOf, writeOciLayout } from '../imageBuilder.js';

const all = (): 'content' => 'content';

describe('indexTar', () => {
  it('finds members behind PAX and long names, with exact offsets', async () => {
    const long = `${'deep/'.repeat(40)}file.txt`;
    const tar = await tarOf([{ name: 'a.txt', content: 'hello' }, { name: long, content: 'world!' }, { name: 'dir/', type: 'directory' }]);
    const dir = await mkdtemp(join(tmpdir(), 'palisade-tar-'));
    await writeFile(join(dir, 'x.tar'), tar);
    const index = await indexTar(join(dir, 'x.tar'));
    expect([...index.keys()]).toEqual(['a.txt', long]);
    const entry = index.get(long);
    expect(tar.subarray(entry?.offset, (entry?.offset ?? 0) + (entry?.size ?? 0)).toString()).toBe('world!');
  });
});

describe('image formats', () => {
  it('picks the requested platform from a multi-platform index, linux/amd64 by default, and skips attestations', async () => {
    const amd = await buildImage({ layers: [{ files: [{ path: 'arch', content: 'amd64' }] }], architecture: 'amd64' });
    const arm = await buildImage({ layers: [{ files: [{ path: 'arch', content: 'arm64' }] }], architecture: 'arm64' });
    const dir = await mkdtemp(join(tmpdir(), 'palisade-multi-'));
    await writeOciLayout(dir, amd);
    for (const [hex, blob] of arm.blobs) await writeFile(join(dir, 'blobs', 'sha256', hex), blob);
    const descriptor = (built: typeof amd, architecture: string) => ({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: built.manifestDigest, size: built.manifest.length, platform: { os: 'linux', architecture } });
    const nested = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [descriptor(arm, 'arm64'), { ...descriptor(amd, 'unknown'), platform: { os: 'unknown', architecture: 'unknown' } }, descriptor(amd, 'amd64')] }));
    const nestedHex = createHash('sha256').update(nested).digest('hex');
    await writeFile(join(dir, 'blobs', 'sha256', nestedHex), nested);
    await writeFile(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: `sha256:${nestedHex}`, size: nested.length }] }));
    const content = async (platform?: { os: string; architecture: string }) => {
      const read = await readImage(dir, { wanted: all, ...(platform ? { platform } : {}) });
      return [read.errors.map((e) => e.code), read.files.map((f) => f.content?.toString())];
    };
    expect(await content()).toEqual([[], ['amd64']]);
    expect(await content({ os: 'linux', architecture: 'arm64' })).toEqual([[], ['arm64']]);
    expect(await content({ os: 'linux', architecture: 's390x' })).toEqual([['IMAGE_NO_PLATFORM'], []]);
  });

  it('reads the Docker 25+ save layout (blobs/sha256 paths in manifest.json) and verifies its layer digests', async () => {
    const built = await buildImage({ layers: [{ compression: 'none', files: [{ path: 'etc/os-release', content: 'ID=alpine\n' }] }] });
    const dir = await mkdtemp(join(tmpdir(), 'palisade-d25-'));
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    for (const [hex, blob] of built.blobs) await writeFile(join(dir, 'blobs', 'sha256', hex), blob);
    await writeFile(join(dir, 'manifest.json'), JSON.stringify([{ Config: `blobs/${built.configDigest.replace(':', '/')}`, RepoTags: ['x:1'], Layers: built.layerDigests.map((d) => `blobs/${d.replace(':', '/')}`) }]));
    const read = await readImage(dir, { wanted: all });
    expect([read.errors, read.resolved?.format, read.resolved?.repoTags, read.resolved?.layers.map((l) => l.digest)]).toEqual([[], 'docker-archive', ['x:1'], built.layerDigests]);
    await writeFile(join(dir, 'blobs', built.configDigest.replace(':', '/')), Buffer.concat([built.config, Buffer.from(' ')]));
    expect((await readImage(dir, { wanted: all })).errors.map((e) => e.code)).toEqual(['IMAGE_DIGEST_MISMATCH']);
  });

  it('reports a corrupt layer and keeps reading the others', async () => {
    const built = await buildImage({ layers: [{ compression: 'gzip', files: [{ path: 'a', content: 'a' }] }, { compression: 'none', files: [{ path: 'b', content: 'b' }] }] });
    const dir = await mkdtemp(join(tmpdir(), 'palisade-bad-'));
    await writeOciLayout(dir, built);
    const hex = (built.layerDigests[0] as string).slice(7);
    const broken = Buffer.from(built.blobs.get(hex) as Buffer);
    broken.fill(0x41, 12, 40);
    await writeFile(join(dir, 'blobs', 'sha256', hex), broken);
    const read = await readImage(dir, { wanted: all });
    expect(read.errors.map((e) => e.code)).toEqual(['IMAGE_BAD_LAYER']);
    expect(read.files.map((f) => f.path)).toEqual(['b']);
  });
});
