import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, statSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { PalisadeError } from '../../core/errors.js';
import { verdictOf, type ScannedFile } from './types.js';
import { DEFAULT_POLICY, type ScanPolicy } from './policy/judge.js';
import { DEFAULT_LIMITS, ScanBudget, type ScanDeadline, type ScanLimits } from './policy/limits.js';
import { timeoutFinding } from './policy/rules.js';
import { BufferSource, FileSource, HashingFileSource, type ByteSource } from './source.js';
import { inspect } from './inspect.js';

export interface ModelScanOptions {
  policy?: ScanPolicy;
  /** Compute sha256 of each file (default true). */
  hash?: boolean;
  /** Bounds on one file's scan (DEFAULT_LIMITS for what is not given). */
  limits?: Partial<ScanLimits>;
  /** A wall-clock bound on the whole scan (deadlineAfter); none by default. */
  deadline?: ScanDeadline;
}

export interface ModelScanResult {
  files: ScannedFile[];
  /** Paths that could not be read (LOAD_NOT_FOUND, LOAD_READ_FAILED). */
  errors: PalisadeError[];
}

/** What a path is when it is not a regular file, for the message that says why it was skipped. */
function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isDirectory()) return 'a directory';
  return 'not a regular file';
}

export class NotRegularFileError extends PalisadeError {}

/**
 * Open a path for reading only if it is a regular file. O_NONBLOCK keeps the open itself from
 * waiting on a FIFO, and the type is checked on the opened descriptor (no race with a swap).
 */
function openRegular(path: string, severe: boolean): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  const stats = fstatSync(fd);
  if (stats.isFile()) return { fd, size: stats.size };
  closeSync(fd);
  throw new NotRegularFileError('LOAD_NOT_REGULAR_FILE', `${path}: ${kindOf(stats)}, not a regular file: not read (a device or a FIFO never ends or never answers)`, { errorClass: severe ? 'severe' : 'warning' });
}

/** Scan bytes already in memory (the webhook and the image scanner hand over layer members). */
export async function scanModelBytes(bytes: Uint8Array, name: string, options: ModelScanOptions = {}): Promise<ScannedFile> {
  return scanSource(new BufferSource(bytes), name, options.hash === false ? '' : createHash('sha256').update(bytes).digest('hex'), options);
}

/** Scan a stream of bytes: the stream is collected, then judged like a file of that name. */
export async function scanModelStream(stream: AsyncIterable<Uint8Array>, name: string, options: ModelScanOptions = {}): Promise<ScannedFile> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return scanModelBytes(Buffer.concat(chunks), name, options);
}

async function scanSource(source: ByteSource, path: string, sha256: string, options: ModelScanOptions): Promise<ScannedFile> {
  const budget = new ScanBudget({ ...DEFAULT_LIMITS, ...options.limits }, options.deadline);
  const { format, findings } = await inspect(source, { policy: options.policy ?? DEFAULT_POLICY, depth: 0, name: path, budget });
  return { path, format, size: source.size, sha256, verdict: verdictOf(findings), findings };
}

/** Files up to this size are read in one call; larger ones are read as the parsers need them. */
const READ_WHOLE = 1024 * 1024;

/**
 * Scan one file from disk; a large file is never held in memory at once. Only regular files are
 * read (symlinks are followed to them): a device, FIFO or socket throws LOAD_NOT_REGULAR_FILE.
 */
export async function scanModelFile(path: string, options: ModelScanOptions = {}, explicit = true): Promise<ScannedFile> {
  const { fd, size } = openRegular(path, explicit);
  const source = options.hash === false || size <= READ_WHOLE ? new FileSource(fd, size) : new HashingFileSource(fd, size);
  try {
    if (source.size <= READ_WHOLE) return await scanModelBytes(source.read(0, source.size), path, options);
    // The digest is taken from the scanners' own reads, and finished after them (one read of the file).
    const scanned = await scanSource(source, path, '', options);
    return source instanceof HashingFileSource ? { ...scanned, sha256: source.digest() } : scanned;
  } finally {
    source.close();
  }
}

function readError(path: string, error: unknown): PalisadeError {
  if (error instanceof PalisadeError) return error;
  const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'LOAD_NOT_FOUND' : 'LOAD_READ_FAILED';
  return new PalisadeError(code, `${path}: ${(error as Error).message}`, { errorClass: 'severe', cause: error });
}

/**
 * Files under a path, sorted. Symlinked directories are entered, as a loader that opens
 * `model/weights/x.pt` follows them; a directory already read (a loop, or a second name for it) is
 * read once, so nothing a loader could reach is skipped and no link loop runs forever.
 */
function filesUnder(path: string, errors: PalisadeError[]): string[] {
  let top: Stats;
  try {
    top = statSync(path);
  } catch (error) {
    errors.push(readError(path, error));
    return [];
  }
  if (!top.isDirectory()) return [path];
  const files: string[] = [];
  walk(path, errors, files, new Set([directoryId(top)]));
  return files;
}

const directoryId = (stats: Stats): string => `${stats.dev}:${stats.ino}`;

/** The entries' types come with the listing: only symlinks and directories are stat'ed, not each file. */
function walk(dir: string, errors: PalisadeError[], files: string[], entered: Set<string>): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    errors.push(readError(dir, error));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (!entry.isDirectory() && !entry.isSymbolicLink()) {
      files.push(path);
      continue;
    }
    let stats: Stats;
    try {
      stats = statSync(path);
    } catch (error) {
      errors.push(readError(path, error));
      continue;
    }
    if (!stats.isDirectory()) {
      files.push(path);
      continue;
    }
    const id = directoryId(stats);
    if (entered.has(id)) continue;
    entered.add(id);
    walk(path, errors, files, entered);
  }
}

/** A file the scan's time limit kept it from reading: suspicious, since nothing of it is known. */
function notReached(path: string, deadline: ScanDeadline): ScannedFile {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    // the finding says it was not read; its size is only informative
  }
  const findings = [timeoutFinding(deadline, 'this file was not read')];
  return { path, format: 'unknown', size, sha256: '', verdict: verdictOf(findings), findings };
}

/** Scan files and directories (recursively, in sorted order). Unreadable paths become errors. */
export async function scanModelPaths(paths: readonly string[], options: ModelScanOptions = {}): Promise<ModelScanResult> {
  const files: ScannedFile[] = [];
  const errors: PalisadeError[] = [];
  for (const path of paths) {
    for (const file of filesUnder(path, errors)) {
      if (options.deadline?.expired()) {
        files.push(notReached(file, options.deadline));
        continue;
      }
      try {
        files.push(await scanModelFile(file, options, file === path));
      } catch (error) {
        errors.push(readError(file, error));
      }
    }
  }
  return { files, errors };
}
