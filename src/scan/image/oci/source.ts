import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { indexTar, normalizeTarPath, type TarEntry } from './tarIndex.js';

/**
 * The files of an image as it was handed to us: a directory (OCI layout, or an unpacked
 * `docker save`) or a tar archive of one (`docker save`, `podman save`, OCI archive). Every read
 * is by relative path; archives are indexed once and read with ranged reads.
 */
export interface ImageFiles {
  description: string;
  has(path: string): Promise<boolean>;
  read(path: string): Promise<Buffer>;
  stream(path: string): Readable;
  /** The first bytes of a file, to sniff its compression. */
  head(path: string, length: number): Promise<Buffer>;
  size(path: string): number | undefined;
}

export async function directoryFiles(dir: string): Promise<ImageFiles> {
  const sizes = new Map<string, number>();
  const known = async (path: string): Promise<boolean> => {
    if (sizes.has(path)) return true;
    try {
      const info = await stat(join(dir, path));
      if (!info.isFile()) return false;
      sizes.set(path, info.size);
      return true;
    } catch {
      return false;
    }
  };
  return {
    description: dir,
    has: (path) => known(normalizeTarPath(path)),
    read: async (path) => {
      const data = await readFile(join(dir, normalizeTarPath(path)));
      sizes.set(normalizeTarPath(path), data.length);
      return data;
    },
    stream: (path) => createReadStream(join(dir, normalizeTarPath(path)), { highWaterMark: 1 << 20 }),
    head: async (path, length) => {
      const handle = await open(join(dir, normalizeTarPath(path)), 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    size: (path) => sizes.get(normalizeTarPath(path)),
  };
}

export async function archiveFiles(file: string): Promise<ImageFiles> {
  const entries = await indexTar(file);
  const entry = (path: string): TarEntry => {
    const found = entries.get(normalizeTarPath(path));
    if (!found) throw Object.assign(new Error(`${path} is not in ${file}`), { code: 'ENOENT' });
    return found;
  };
  const range = (path: string, length?: number): Readable => {
    const e = entry(path);
    const size = length === undefined ? e.size : Math.min(length, e.size);
    // createReadStream's end is inclusive, so an empty file gets an empty stream.
    if (size === 0) return Readable.from([]);
    return createReadStream(file, { start: e.offset, end: e.offset + size - 1, highWaterMark: 1 << 20 });
  };
  const collect = async (stream: Readable, size: number): Promise<Buffer> => {
    if (size === 0) return Buffer.alloc(0);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
  return {
    description: file,
    has: async (path) => entries.has(normalizeTarPath(path)),
    read: (path) => collect(range(path), entry(path).size),
    stream: (path) => range(path),
    head: (path, length) => collect(range(path, length), Math.min(length, entry(path).size)),
    size: (path) => entries.get(normalizeTarPath(path))?.size,
  };
}
