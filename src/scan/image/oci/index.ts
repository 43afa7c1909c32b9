import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PalisadeError } from '../../../core/errors.js';
import { imageError } from './errors.js';
import { ImageFilesystem, LayerChanges, isWhiteout, type FileRecord } from './filesystem.js';
import { readLayer, type Compression } from './layers.js';
import { resolveImage, type LayerRef, type Platform, type ResolvedImage } from './manifest.js';
import { archiveFiles, directoryFiles, type ImageFiles } from './source.js';

export { digestMismatch, parsePlatform, type ImageConfig, type LayerRef, type Platform, type ResolvedImage } from './manifest.js';
export { sniffCompression, type Compression } from './layers.js';
export type { FileRecord } from './filesystem.js';
export type { ImageErrorCode } from './errors.js';

export interface ReadImageOptions {
  platform?: Platform;
  /**
   * What to keep of a regular file: its content (inventory records, small model files), only its
   * sha256 and size (large model files), or nothing.
   */
  wanted(path: string, size: number): 'content' | 'hash' | 'spool' | undefined;
  /** Where 'spool' files are written; required when `wanted` can answer 'spool'. */
  spoolDir?: string;
}

export interface LayerSummary {
  digest?: string;
  diffId: string;
  compression: Compression;
  /** Stored bytes. */
  size: number;
  entries: number;
}

export interface ImageRead {
  input: string;
  resolved?: ResolvedImage;
  /** The wanted files of the final filesystem, with the layer that wrote each. */
  files: FileRecord[];
  layers: LayerSummary[];
  /** Tar entries seen across all layers. */
  entries: number;
  errors: PalisadeError[];
}

async function openFiles(input: string, errors: PalisadeError[]): Promise<ImageFiles | undefined> {
  try {
    const info = await stat(input);
    return info.isDirectory() ? await directoryFiles(input) : await archiveFiles(input);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    errors.push(imageError(missing ? 'IMAGE_NOT_FOUND' : 'IMAGE_UNKNOWN_FORMAT', missing ? `no such file or directory: ${input}` : `cannot read ${input} as an image: ${(cause as Error).message}`, input, 'fatal', cause));
    return undefined;
  }
}

const LAYER_CONCURRENCY = 4;

async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface LayerRead {
  changes: LayerChanges;
  summary?: LayerSummary;
  errors: PalisadeError[];
}

async function readOneLayer(files: ImageFiles, layer: LayerRef, index: number, input: string, options: ReadImageOptions): Promise<LayerRead> {
  const errors: PalisadeError[] = [];
  const changes = new LayerChanges();
  if (!(await files.has(layer.path))) {
    errors.push(imageError('IMAGE_MISSING_BLOB', `layer ${index + 1} (${layer.path}) is missing`, input, 'severe'));
    return { changes, errors };
  }
  const layerId = layer.diffId ?? layer.digest ?? layer.path;
  let entries = 0;
  try {
    // A verified stored digest already proves the bytes; the diff id is hashed only when the
    // format names no stored digest (classic docker save), where it is the only check.
    const storedDigestKnown = layer.digest !== undefined && layer.digest.startsWith('sha256:');
    const digests = await readLayer(files, layer, async (entry) => {
      entries++;
      const type = entry.header.type ?? 'file';
      const kind = type === 'file' || type === 'contiguous-file' ? 'file' : type === 'directory' ? 'directory' : 'other';
      const size = entry.header.size ?? 0;
      const want = kind === 'file' && !isWhiteout(entry.path) ? options.wanted(entry.path, size) : undefined;
      if (want === 'content') {
        const content = await entry.content();
        changes.entry(entry.path, kind, { path: entry.path, layer: layerId, size, sha256: createHash('sha256').update(content).digest('hex'), content });
      } else if (want === 'spool' && options.spoolDir) {
        const target = join(options.spoolDir, `${index}-${entries}`);
        changes.entry(entry.path, kind, { path: entry.path, layer: layerId, size, sha256: await entry.spool(target), spooled: target });
      } else if (want === 'hash' || want === 'spool') {
        changes.entry(entry.path, kind, { path: entry.path, layer: layerId, size, sha256: await entry.sha256() });
      } else {
        changes.entry(entry.path, kind, undefined);
      }
    }, { diffId: !storedDigestKnown });
    if (layer.digest && layer.digest.startsWith('sha256:') && digests.digest !== layer.digest) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `layer ${index + 1} (${layer.path}) has digest ${digests.digest}, expected ${layer.digest}`, input, 'severe'));
    }
    if (layer.diffId && digests.diffId !== undefined && digests.diffId !== layer.diffId) {
      errors.push(imageError('IMAGE_DIFF_ID_MISMATCH', `layer ${index + 1} (${layer.path}) uncompresses to ${digests.diffId}, but the config says ${layer.diffId}`, input, 'severe'));
    }
    const diffId = digests.diffId ?? layer.diffId ?? digests.digest;
    return { changes, errors, summary: { ...(layer.digest ? { digest: layer.digest } : {}), diffId, compression: digests.compression, size: digests.bytes, entries } };
  } catch (cause) {
    errors.push(imageError('IMAGE_BAD_LAYER', `layer ${index + 1} (${layer.path}) cannot be read: ${(cause as Error).message}`, input, 'severe', cause));
    return { changes, errors };
  }
}

/**
 * Read an image from an OCI layout directory, a docker/podman archive or an OCI archive: resolve
 * its manifest and config, stream every layer once (verifying digests and diff ids), apply
 * whiteouts, and keep the files `wanted` asks for. Never throws for bad input.
 */
export async function readImage(input: string, options: ReadImageOptions): Promise<ImageRead> {
  const errors: PalisadeError[] = [];
  const result: ImageRead = { input, files: [], layers: [], entries: 0, errors };
  const files = await openFiles(input, errors);
  if (!files) return result;
  const resolved = await resolveImage(files, options.platform, errors);
  if (!resolved) return result;
  result.resolved = resolved;
  // Layers stream concurrently (decompression runs on libuv's threads); their changes are
  // applied in order afterwards, which is all whiteout semantics needs.
  const read = await mapConcurrent(resolved.layers, LAYER_CONCURRENCY, (layer, index) => readOneLayer(files, layer, index, input, options));
  const filesystem = new ImageFilesystem();
  for (const layer of read) {
    errors.push(...layer.errors);
    if (!layer.summary) continue;
    result.layers.push(layer.summary);
    result.entries += layer.summary.entries;
    filesystem.apply(layer.changes);
  }
  result.files = filesystem.list();
  return result;
}
