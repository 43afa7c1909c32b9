import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { PalisadeError } from '../../../core/errors.js';
import { imageError } from './errors.js';
import { ImageTree, type FileName, type Inode, type LinkProblem, type TreeEntry } from './filesystem.js';
import { InflateBudget, normalizeEntryPath, readLayer, type Compression } from './layers.js';
import { resolveImage, type LayerRef, type Platform, type ResolvedImage } from './manifest.js';
import { archiveFiles, directoryFiles, type ImageFiles } from './source.js';

export { digestMismatch, parsePlatform, type ImageConfig, type LayerRef, type Platform, type ResolvedImage } from './manifest.js';
export { sniffCompression, type Compression } from './layers.js';
export type { LinkProblem } from './filesystem.js';

/** One name of a wanted regular file of the final filesystem. */
export interface FileRecord {
  path: string;
  /** The diff id (or digest) of the layer that wrote the file's data. */
  layer: string;
  size: number;
  sha256: string;
  /** Where the name leads: the resolved path of a symlink, or the member that carried a hard link's data. */
  target?: string;
  /** Present when the file's content was wanted. */
  content?: Buffer;
  /** What ReadImageOptions.scan returned for the file (shared by all its names). */
  scanned?: unknown;
}
export type { ImageErrorCode } from './errors.js';

export interface ReadImageOptions {
  platform?: Platform;
  /**
   * What to keep of a regular file, asked once per name (a file reached through links is asked
   * under each): its content (inventory records), its sha256 only, a scan (`scan` below), or
   * nothing. A file gets the most any of its names asks for.
   */
  wanted(path: string, size: number): 'content' | 'hash' | 'scan' | undefined;
  /**
   * Called during the second pass for each file a name asked to scan, with the file's names: its
   * bytes when it is at most `inMemoryBytes`, else a temporary copy in `spoolDir` that is removed
   * as soon as the call returns (so disk use is one file at a time). What it returns is kept on
   * every name's record as `scanned`.
   */
  scan?: (file: { names: string[]; size: number; sha256: string; bytes?: Buffer; localFile?: string }) => Promise<unknown>;
  /** Files larger than this are handed to `scan` as a temporary copy (default 16 MiB). */
  inMemoryBytes?: number;
  /** Where large files to scan are spooled; without it they are hashed, not scanned. */
  spoolDir?: string;
  /** Bytes all layers together may inflate to (default: 4 GiB, or 4 times the layers' stored size if more). */
  maxInflatedBytes?: number;
  /** Tar entries all layers together may hold (default DEFAULT_IMAGE_LIMITS.maxEntries). */
  maxEntries?: number;
  /** Largest file kept as content (inventory databases); larger ones are hashed only, with a warning. */
  maxContentBytes?: number;
}

/**
 * Bounds on reading one image. With them, an image under 50 MB on disk is read in well under a
 * minute and 1 GB of memory whatever its layers hold (gzip bombs, millions of entries); past one,
 * the read stops with IMAGE_SCAN_LIMIT naming the limit.
 */
export const DEFAULT_IMAGE_LIMITS = {
  /** Or `inflateFactor` times the stored bytes of the layers when that is more: model weights barely compress, bombs do. */
  maxInflatedBytes: 4 * 1024 ** 3,
  inflateFactor: 4,
  maxEntries: 1_000_000,
  maxContentBytes: 256 * 1024 ** 2,
  inMemoryBytes: 16 * 1024 ** 2,
} as const;

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
  /** The wanted names of the final filesystem (one record per name), with the layer that wrote each file. */
  files: FileRecord[];
  /** Symlinks and hard links of the final filesystem that dangle, loop or climb above the root. */
  links: LinkProblem[];
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
  entries: TreeEntry[];
  summary?: LayerSummary;
  errors: PalisadeError[];
}

function entryKind(type: string | null | undefined): TreeEntry['kind'] {
  if (type === 'file' || type === 'contiguous-file' || type === undefined) return 'file';
  if (type === 'directory') return 'directory';
  if (type === 'symlink') return 'symlink';
  if (type === 'link') return 'hardlink';
  return 'other';
}

function limitError(input: string, what: string, limit: string, value: number): PalisadeError {
  return imageError('IMAGE_SCAN_LIMIT', `stopped reading the image: ${what} (limit ${limit} = ${value}; raise it to read further); what was not read is not known to be safe`, input, 'severe');
}

/** First pass: one layer's members (metadata only), with its digests checked. */
async function indexLayer(files: ImageFiles, layer: LayerRef, index: number, input: string, budget: InflateBudget, entryBudget: { left: number; limit: number }): Promise<LayerRead> {
  const errors: PalisadeError[] = [];
  const entries: TreeEntry[] = [];
  if (!(await files.has(layer.path))) {
    errors.push(imageError('IMAGE_MISSING_BLOB', `layer ${index + 1} (${layer.path}) is missing`, input, 'severe'));
    return { entries, errors };
  }
  try {
    // A verified stored digest already proves the bytes; the diff id is hashed only when the
    // format names no stored digest (classic docker save), where it is the only check.
    const storedDigestKnown = layer.digest !== undefined && layer.digest.startsWith('sha256:');
    const digests = await readLayer(
      files,
      layer,
      (entry) => {
        if (--entryBudget.left < 0) throw new Error('too many entries');
        const kind = entryKind(entry.header.type);
        const linkname = entry.header.linkname ? normalizeEntryPath(entry.header.linkname) : undefined;
        // A hard link names a member path; a symlink's target is kept as written.
        entries.push({ path: entry.path, kind, size: entry.header.size ?? 0, ordinal: entries.length, ...(kind === 'hardlink' && linkname !== undefined ? { linkname } : kind === 'symlink' ? { linkname: entry.header.linkname ?? '' } : {}) });
      },
      { diffId: !storedDigestKnown, budget },
    );
    if (layer.digest && layer.digest.startsWith('sha256:') && digests.digest !== layer.digest) {
      errors.push(imageError('IMAGE_DIGEST_MISMATCH', `layer ${index + 1} (${layer.path}) has digest ${digests.digest}, expected ${layer.digest}`, input, 'severe'));
    }
    if (layer.diffId && digests.diffId !== undefined && digests.diffId !== layer.diffId) {
      errors.push(imageError('IMAGE_DIFF_ID_MISMATCH', `layer ${index + 1} (${layer.path}) uncompresses to ${digests.diffId}, but the config says ${layer.diffId}`, input, 'severe'));
    }
    const diffId = digests.diffId ?? layer.diffId ?? digests.digest;
    return { entries, errors, summary: { ...(layer.digest ? { digest: layer.digest } : {}), diffId, compression: digests.compression, size: digests.bytes, entries: entries.length } };
  } catch (cause) {
    // Checked on the budgets, not the error: a stream ended by the limit may fail with "premature close" first.
    if (budget.used > budget.limit) errors.push(limitError(input, `its layers inflate to more than ${budget.limit} bytes (layer ${index + 1} was being read)`, 'maxInflatedBytes', budget.limit));
    else if (entryBudget.left < 0) errors.push(limitError(input, `its layers hold more than ${entryBudget.limit} tar entries (layer ${index + 1} was being read)`, 'maxEntries', entryBudget.limit));
    else errors.push(imageError('IMAGE_BAD_LAYER', `layer ${index + 1} (${layer.path}) cannot be read: ${(cause as Error).message}`, input, 'severe', cause));
    return { entries: [], errors };
  }
}

/** The default inflate bound: 4 GiB, or 4 times what the layers hold on disk (an image of 14 GB of weights still reads). */
async function defaultInflateLimit(files: ImageFiles, layers: readonly LayerRef[]): Promise<number> {
  let stored = 0;
  for (const layer of layers) if (await files.has(layer.path)) stored += files.size(layer.path) ?? 0;
  return Math.max(DEFAULT_IMAGE_LIMITS.maxInflatedBytes, DEFAULT_IMAGE_LIMITS.inflateFactor * stored);
}

type Want = 'content' | 'hash' | 'scan';
const WANT_RANK: Record<Want, number> = { hash: 1, content: 2, scan: 3 };

interface InodeWork {
  inode: Inode;
  want: Want;
  names: string[];
  sha256?: string;
  content?: Buffer;
  scanned?: unknown;
}

/** Second pass: read the wanted files of one layer by their position in it, and stop after the last. */
async function readContents(files: ImageFiles, layer: LayerRef, index: number, work: Map<number, InodeWork>, input: string, options: ReadImageOptions, errors: PalisadeError[]): Promise<void> {
  let ordinal = -1;
  let left = work.size;
  const inMemory = options.inMemoryBytes ?? DEFAULT_IMAGE_LIMITS.inMemoryBytes;
  try {
    await readLayer(
      files,
      layer,
      async (entry) => {
        const item = work.get(++ordinal);
        if (!item) return;
        left--;
        const size = item.inode.size;
        if (item.want === 'content' || (item.want === 'scan' && size <= inMemory)) {
          const content = await entry.content();
          item.sha256 = createHash('sha256').update(content).digest('hex');
          if (item.want === 'content') item.content = content;
          else item.scanned = await options.scan?.({ names: item.names, size, sha256: item.sha256, bytes: content });
        } else if (item.want === 'scan' && options.spoolDir && options.scan) {
          const target = join(options.spoolDir, `${index}-${ordinal}`);
          try {
            item.sha256 = await entry.spool(target);
            item.scanned = await options.scan({ names: item.names, size, sha256: item.sha256, localFile: target });
          } finally {
            await rm(target, { force: true });
          }
        } else {
          item.sha256 = await entry.sha256();
        }
      },
      { diffId: false, done: () => left === 0 },
    );
  } catch (cause) {
    errors.push(imageError('IMAGE_BAD_LAYER', `layer ${index + 1} (${layer.path}) cannot be read a second time: ${(cause as Error).message}`, input, 'severe', cause));
  }
}

/**
 * Read an image from an OCI layout directory, a docker/podman archive or an OCI archive, in two
 * streaming passes with bounded memory and disk: the first reads every layer's tar headers
 * (verifying digests and diff ids, within the inflate and entry limits) and builds the final
 * filesystem with whiteouts, symlinks and hard links; the second reads again only the layers that
 * hold wanted files, and only up to the last of them. Never throws for bad input.
 */
export async function readImage(input: string, options: ReadImageOptions): Promise<ImageRead> {
  const errors: PalisadeError[] = [];
  const result: ImageRead = { input, files: [], links: [], layers: [], entries: 0, errors };
  const files = await openFiles(input, errors);
  if (!files) return result;
  const resolved = await resolveImage(files, options.platform, errors);
  if (!resolved) return result;
  result.resolved = resolved;
  const budget = new InflateBudget(options.maxInflatedBytes ?? (await defaultInflateLimit(files, resolved.layers)));
  const maxEntries = options.maxEntries ?? DEFAULT_IMAGE_LIMITS.maxEntries;
  const entryBudget = { left: maxEntries, limit: maxEntries };
  // Layers stream concurrently (decompression runs on libuv's threads); they are applied in order afterwards.
  const read = await mapConcurrent(resolved.layers, LAYER_CONCURRENCY, (layer, index) => indexLayer(files, layer, index, input, budget, entryBudget));
  const limited = read.some((layer) => layer.errors.some((e) => e.code === 'IMAGE_SCAN_LIMIT'));
  const tree = new ImageTree();
  read.forEach((layer, index) => {
    // One limit message is enough: the other layers read at the same time stop on it too.
    for (const error of layer.errors) if (error.code !== 'IMAGE_SCAN_LIMIT' || !errors.some((e) => e.code === 'IMAGE_SCAN_LIMIT')) errors.push(error);
    if (!layer.summary) return;
    result.layers.push(layer.summary);
    result.entries += layer.summary.entries;
    tree.applyLayer(layer.entries, index, layer.summary.diffId);
  });
  // An image read in part has no final filesystem to judge: its content is not read at all.
  if (limited) return result;
  const names = tree.names();
  result.links = tree.problems;
  const maxContent = options.maxContentBytes ?? DEFAULT_IMAGE_LIMITS.maxContentBytes;
  const byInode = new Map<Inode, FileName[]>();
  for (const name of names) {
    const same = byInode.get(name.inode);
    if (same) same.push(name);
    else byInode.set(name.inode, [name]);
  }
  const work = new Map<Inode, InodeWork>();
  const wantedNames: Array<{ name: FileName; item: InodeWork }> = [];
  for (const [inode, all] of byInode) {
    let item: InodeWork | undefined;
    const asked: FileName[] = [];
    for (const name of all) {
      let want = options.wanted(name.path, inode.size);
      if (want === undefined) continue;
      if (want === 'content' && inode.size > maxContent) {
        errors.push(imageError('IMAGE_SCAN_LIMIT', `${name.path} is ${inode.size} bytes, more than maxContentBytes (${maxContent}): not read`, input, 'warning'));
        want = 'hash';
      }
      if (!item) item = { inode, want, names: [] };
      else if (WANT_RANK[want] > WANT_RANK[item.want]) item.want = want;
      item.names.push(name.path);
      asked.push(name);
    }
    if (!item) continue;
    work.set(inode, item);
    // A scanned file is reported under every name that reaches it (a Hugging Face blob, its snapshot links).
    const listed = item.want === 'scan' ? all : asked;
    for (const name of listed) wantedNames.push({ name, item });
  }
  wantedNames.sort((a, b) => (a.name.path < b.name.path ? -1 : a.name.path > b.name.path ? 1 : 0));
  // Layers are read again one at a time: scans run while their layer waits, one file at a time.
  for (let index = 0; index < resolved.layers.length; index++) {
    const inLayer = new Map<number, InodeWork>();
    for (const item of work.values()) if (item.inode.layerIndex === index) inLayer.set(item.inode.ordinal, item);
    if (inLayer.size > 0) await readContents(files, resolved.layers[index] as LayerRef, index, inLayer, input, options, errors);
  }
  result.files = wantedNames.map(({ name, item }) => ({
    path: name.path,
    layer: name.inode.layer,
    size: name.inode.size,
    sha256: item.sha256 ?? '',
    ...(name.target !== undefined ? { target: name.target } : {}),
    ...(item.content ? { content: item.content } : {}),
    ...(item.scanned !== undefined ? { scanned: item.scanned } : {}),
  }));
  return result;
}
