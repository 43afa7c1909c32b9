import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readImage } from '../../../../src/scan/image/oci/index.js';
import { buildImage, dockerArchive, ociArchive, writeOciLayout, type TestImage } from '../imageBuilder.js';

const everything = (): 'content' => 'content';

const IMAGE: TestImage = {
  layers: [
    {
      compression: 'gzip',
      files: [
        { path: 'etc/', type: 'directory' },
        { path: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { path: 'opt/old/a.txt', content: 'a' },
        { path: 'opt/old/b.txt', content: 'b' },
        { path: 'srv/keep.txt', content: 'lower' },
        { path: 'srv/gone.txt', content: 'x' },
        { path: 'var/cache/x', content: 'x' },
      ],
    },
    {
      compression: 'zstd',
      files: [
        { path: 'opt/old/.wh..wh..opq', content: '' },
        { path: 'opt/old/c.txt', content: 'c' },
        { path: './srv/.wh.gone.txt', content: '' },
        { path: 'srv/keep.txt', content: 'upper' },
        { path: 'var/.wh.cache', content: '' },
      ],
    },
    { compression: 'none', files: [{ path: '/srv/new.txt', content: 'n' }, { path: 'srv/keep.txt', type: 'symlink', linkname: 'new.txt' }] },
  ],
  config: { User: '1000' },
};

async function forms(): Promise<Record<string, string>> {
  const built = await buildImage(IMAGE);
  const dir = await mkdtemp(join(tmpdir(), 'palisade-img-'));
  await writeOciLayout(join(dir, 'layout'), built);
  await writeFile(join(dir, 'oci.tar'), await ociArchive(built));
  await writeFile(join(dir, 'docker.tar'), await dockerArchive(built, 'test/img:1'));
  return { layout: join(dir, 'layout'), oci: join(dir, 'oci.tar'), docker: join(dir, 'docker.tar') };
}

describe('readImage', () => {
  it('applies whiteouts and opaque directories across gzip, zstd and plain layers, in all three forms', async () => {
    const paths = await forms();
    for (const [form, path] of Object.entries(paths)) {
      const read = await readImage(path, { wanted: everything });
      expect([form, read.errors.map((e) => e.code)]).toEqual([form, []]);
      // srv/keep.txt is now a symlink: a second name of srv/new.txt, listed with where it leads.
      expect(read.files.map((f) => [f.path, f.content?.toString(), f.target ?? null])).toEqual([
        ['etc/os-release', 'ID=debian\nVERSION_ID="12"\n', null],
        ['opt/old/c.txt', 'c', null],
        ['srv/keep.txt', 'n', 'srv/new.txt'],
        ['srv/new.txt', 'n', null],
      ]);
      expect(read.entries).toBe(14);
      expect(read.resolved?.config.config?.User).toBe('1000');
    }
  });

  it('reports the compression of each layer and verifies digests', async () => {
    const { layout } = await forms();
    const read = await readImage(layout as string, { wanted: () => undefined });
    expect(read.layers.map((l) => l.compression)).toEqual(['gzip', 'zstd', 'none']);
    expect(read.files).toEqual([]);
  });

  it('refuses a tampered layer: IMAGE_DIGEST_MISMATCH in a layout, IMAGE_DIFF_ID_MISMATCH in a classic docker archive', async () => {
    const built = await buildImage({ layers: [{ compression: 'none', files: [{ path: 'a', content: 'original' }] }] });
    const dir = await mkdtemp(join(tmpdir(), 'palisade-img-'));
    await writeOciLayout(join(dir, 'layout'), built);
    const layerHex = (built.layerDigests[0] as string).slice(7);
    const tamper = (bytes: Buffer): Buffer => Buffer.from(bytes.toString('latin1').replace('original', 'evil!!!!'), 'latin1');
    await writeFile(join(dir, 'layout', 'blobs', 'sha256', layerHex), tamper(built.blobs.get(layerHex) as Buffer));
    expect((await readImage(join(dir, 'layout'), { wanted: everything })).errors.map((e) => e.code)).toEqual(['IMAGE_DIGEST_MISMATCH']);
    // The classic archive names layers by path only: the config's diff ids are the check.
    await writeFile(join(dir, 'docker.tar'), tamper(await dockerArchive(built, 'x:1')));
    const read = await readImage(join(dir, 'docker.tar'), { wanted: everything });
    expect(read.errors.map((e) => e.code)).toEqual(['IMAGE_DIFF_ID_MISMATCH']);
  });

  it('reports unreadable inputs as error values', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'palisade-img-'));
    await writeFile(join(dir, 'not-an-image.tar'), 'hello');
    expect((await readImage(join(dir, 'missing'), { wanted: everything })).errors.map((e) => e.code)).toEqual(['IMAGE_NOT_FOUND']);
    expect((await readImage(dir, { wanted: everything })).errors.map((e) => e.code)).toEqual(['IMAGE_UNKNOWN_FORMAT']);
    expect((await readImage(join(dir, 'not-an-image.tar'), { wanted: everything })).errors.map((e) => e.code)).toEqual(['IMAGE_UNKNOWN_FORMAT']);
  });
});
