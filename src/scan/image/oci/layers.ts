import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { extract, type Header } from 'tar-stream';
import type { ImageFiles } from './source.js';
import type { LayerRef } from './manifest.js';

export type Compression = 'gzip' | 'zstd' | 'none';

/** By magic number, not by media type: docker archives carry none, and media types lie. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

function zstdStream(): Transform {
  // The decoder pushes into the transform it feeds, so it is created after it.
  const holder: { decoder?: Decompress } = {};
  const transform = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      try {
        holder.decoder?.push(chunk);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback) {
      try {
        holder.decoder?.push(new Uint8Array(0), true);
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  holder.decoder = new Decompress((data) => {
    transform.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  return transform;
}

function decompressor(compression: Compression): Transform | PassThrough {
  // Large output chunks: fewer round trips to the zlib thread, which is what limits throughput.
  if (compression === 'gzip') return createGunzip({ chunkSize: 256 * 1024 });
  if (compression === 'zstd') return zstdStream();
  return new PassThrough();
}

function hashing(hash: Hash): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
}

export interface LayerEntry {
  /** Normalised path: no leading "./" or "/", no trailing "/". */
  path: string;
  header: Header;
  /** Read the content (call at most once, before returning from the handler); otherwise it is skipped. */
  content(): Promise<Buffer>;
  /** Hash the content without keeping it (instead of content()). */
  sha256(): Promise<string>;
  /** Write the content to a file and hash it (instead of content()): large files, bounded memory. */
  spool(target: string): Promise<string>;
}

export interface LayerDigests {
  compression: Compression;
  /** sha256 of the stored bytes. */
  digest: string;
  /** sha256 of the uncompressed tar (the diff id), when it was computed. */
  diffId?: string;
  bytes: number;
}

/**
 * Bytes all layers of one image may inflate to, shared by the layers read at the same time: a
 * 50 MB image of gzip bombs inflates to 50 GB, so the reader stops at the limit instead.
 */
export class InflateBudget {
  used = 0;
  constructor(readonly limit: number) {}
}

/** Thrown through the layer pipeline when the image's inflate budget is spent. */
export class InflateLimitError extends Error {
  constructor(readonly limit: number) {
    super(`the layers inflate to more than ${limit} bytes`);
  }
}

function counting(budget: InflateBudget): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      budget.used += chunk.length;
      if (budget.used > budget.limit) callback(new InflateLimitError(budget.limit));
      else callback(null, chunk);
    },
  });
}

export interface ReadLayerOptions {
  /** Hash the uncompressed tar (the diff id); default true. */
  diffId?: boolean;
  budget?: InflateBudget;
  /** Asked after each entry: true ends the read early (the entries after it are not needed). */
  done?: () => boolean;
}

export function normalizeEntryPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

/**
 * Stream one layer: decompress, walk its tar entries in order, and hash both the stored and the
 * uncompressed bytes so the caller can check the digest and the diff id.
 */
export async function readLayer(files: ImageFiles, layer: LayerRef, onEntry: (entry: LayerEntry) => Promise<void> | void, options: ReadLayerOptions = {}): Promise<LayerDigests> {
  const wantDiffId = options.diffId !== false;
  let stopped = false;
  const compression = sniffCompression(await files.head(layer.path, 4));
  const storedHash = createHash('sha256');
  const tarHash = createHash('sha256');
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback(null, chunk);
    },
  });
  const tar = extract();
  const consume = (async () => {
    for await (const entry of tar) {
      let consumed = false;
      const stream = entry as unknown as Readable;
      const content = async (): Promise<Buffer> => {
        consumed = true;
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      };
      const sha256 = async (): Promise<string> => {
        consumed = true;
        const hash = createHash('sha256');
        for await (const chunk of stream) hash.update(chunk as Buffer);
        return hash.digest('hex');
      };
      const spool = async (target: string): Promise<string> => {
        consumed = true;
        const hash = createHash('sha256');
        await pipeline(stream, hashing(hash), createWriteStream(target));
        return hash.digest('hex');
      };
      await onEntry({ path: normalizeEntryPath(entry.header.name), header: entry.header, content, sha256, spool });
      if (!consumed) stream.resume();
      if (options.done?.()) {
        stopped = true;
        break; // destroys the extractor, which ends the pipeline early
      }
    }
  })();
  const stages = [decompressor(compression), ...(options.budget ? [counting(options.budget)] : []), ...(wantDiffId ? [hashing(tarHash)] : [])];
  const piped = pipeline([files.stream(layer.path), counter, hashing(storedHash), ...stages, tar]).catch((error: unknown) => {
    if (!stopped) throw error;
  });
  await Promise.all([piped, consume]);
  // A layer read only in part has no digest to report: the caller asked to stop.
  return { compression, digest: stopped ? '' : `sha256:${storedHash.digest('hex')}`, ...(wantDiffId && !stopped ? { diffId: `sha256:${tarHash.digest('hex')}` } : {}), bytes };
}
