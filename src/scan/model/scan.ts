import { createHash } from 'node:crypto';
import { createReadStream, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PalisadeError } from '../../core/errors.js';
import { verdictOf, type ScannedFile } from './types.js';
import { DEFAULT_POLICY, type ScanPolicy } from './policy/judge.js';
import { BufferSource, FileSource, type ByteSource } from './source.js';
import { inspect } from './inspect.js';

export interface ModelScanOptions {
  policy?: ScanPolicy;
  /** Compute sha256 of each file (default true). */
  hash?: boolean;
}

export interface ModelScanResult {
  files: ScannedFile[];
  /** Paths that could not be read (LOAD_NOT_FOUND, LOAD_READ_FAILED). */
  errors: PalisadeError[];
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
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
  const { format, findings } = await inspect(source, { policy: options.policy ?? DEFAULT_POLICY, depth: 0, name: path });
  return { path, format, size: source.size, sha256, verdict: verdictOf(findings), findings };
}

/** Files up to this size are read in one call; larger ones are read as the parsers need them. */
const READ_WHOLE = 1024 * 1024;

/** Scan one file from disk; a large file is never held in memory at once. */
export async function scanModelFile(path: string, options: ModelScanOptions = {}): Promise<ScannedFile> {
  if (statSync(path).size <= READ_WHOLE) return scanModelBytes(readFileSync(path), path, options);
  const source = new FileSource(path);
  try {
    const sha256 = options.hash === false ? '' : await sha256File(path);
    return await scanSource(source, path, sha256, options);
  } finally {
    source.close();
  }
}

function readError(path: string, error: unknown): PalisadeError {
  const code = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'LOAD_NOT_FOUND' : 'LOAD_READ_FAILED';
  return new PalisadeError(code, `${path}: ${(error as Error).message}`, { errorClass: 'severe', cause: error });
}

/** Files under a path, sorted; symlinked directories below the top are not entered (no loops). */
function filesUnder(path: string, errors: PalisadeError[], top = true): string[] {
  try {
    if (!top && lstatSync(path).isSymbolicLink() && statSync(path).isDirectory()) return [];
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .sort()
      .flatMap((entry) => filesUnder(join(path, entry), errors, false));
  } catch (error) {
    errors.push(readError(path, error));
    return [];
  }
}

/** Scan files and directories (recursively, in sorted order). Unreadable paths become errors. */
export async function scanModelPaths(paths: readonly string[], options: ModelScanOptions = {}): Promise<ModelScanResult> {
  const files: ScannedFile[] = [];
  const errors: PalisadeError[] = [];
  for (const path of paths) {
    for (const file of filesUnder(path, errors)) {
      try {
        files.push(await scanModelFile(file, options));
      } catch (error) {
        errors.push(readError(file, error));
      }
    }
  }
  return { files, errors };
}
