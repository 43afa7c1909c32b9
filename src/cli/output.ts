import { randomBytes } from 'node:crypto';
import { lstatSync, realpathSync, statSync } from 'node:fs';
import { open, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { PalisadeError } from '../core/errors.js';

/**
 * Report files (`-o format=FILE`). Checked before any work, so a typo in CI fails in a second
 * rather than after the scan; written to a temporary file in the same directory and renamed over
 * the target, so a full disk or a killed run never leaves a truncated or empty report behind.
 */

function usage(file: string, why: string): PalisadeError {
  return new PalisadeError('OUTPUT_INVALID', `cannot write ${file}: ${why}`, { errorClass: 'fatal' });
}

/** Where the bytes go: a symlink is followed, so the link stays a link. */
function target(file: string): string {
  try {
    return lstatSync(file).isSymbolicLink() ? realpathSync(file) : file;
  } catch {
    return file;
  }
}

/** Throws a fatal error (exit 2) when `file` cannot be a report: a missing directory, a directory, a device. */
export function checkOutputPath(file: string): void {
  const path = target(file);
  const dir = dirname(path);
  let dirInfo;
  try {
    dirInfo = statSync(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw usage(file, code === 'ENOTDIR' ? `${dir} is not a directory` : `directory ${dir} does not exist (palisade does not create it)`);
  }
  if (!dirInfo.isDirectory()) throw usage(file, `${dir} is not a directory`);
  let info;
  try {
    info = statSync(path);
  } catch {
    return; // a new file
  }
  if (info.isDirectory()) throw usage(file, 'it is a directory; give a file name, e.g. -o sarif=palisade.sarif');
  // /dev/null, /dev/stderr or a pipe take the bytes as they come; a socket or block device is no report.
  if (!info.isFile() && !info.isCharacterDevice() && !info.isFIFO()) throw usage(file, 'it is not a regular file');
}

/** A device or pipe is written in place: renaming over it would replace the device node itself. */
function isStream(path: string): boolean {
  try {
    const info = statSync(path);
    return info.isCharacterDevice() || info.isFIFO();
  } catch {
    return false;
  }
}

/** Write `text` (or its pieces, one after another) to `file` atomically; a failure is a fatal error naming the file, and leaves no file behind. */
export async function writeOutput(file: string, text: string | Iterable<string>, fs: { open: typeof open; rename: typeof rename } = { open, rename }): Promise<void> {
  checkOutputPath(file);
  const path = target(file);
  if (isStream(path)) {
    try {
      await writeFile(path, typeof text === 'string' ? text : Readable.from(text));
      return;
    } catch (cause) {
      throw new PalisadeError('OUTPUT_WRITE_FAILED', `cannot write ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
  }
  const temp = join(dirname(path), `.${basename(path)}.palisade-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const handle = await fs.open(temp, 'wx', 0o644);
    created = true;
    try {
      if (typeof text === 'string') await handle.writeFile(text);
      else for (const piece of text) await handle.write(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (cause) {
    if (created) await unlink(temp).catch(() => undefined);
    throw new PalisadeError('OUTPUT_WRITE_FAILED', `cannot write ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
  }
}

/** Pieces gathered into strings of about `size` characters: few writes, and never the whole text at once. */
export function* batched(pieces: Iterable<string>, size = 1 << 20): Generator<string> {
  let parts: string[] = [];
  let length = 0;
  for (const piece of pieces) {
    parts.push(piece);
    length += piece.length;
    if (length >= size) {
      yield parts.join('');
      parts = [];
      length = 0;
    }
  }
  if (parts.length > 0) yield parts.join('');
}
