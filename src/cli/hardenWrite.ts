import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';
import { PalisadeError } from '../core/errors.js';
import type { TextSplice } from '../harden/index.js';

/**
 * `harden --write`: the edits are made to the file's bytes, not to its decoded text, so bytes the
 * edits do not touch stay as they were (invalid UTF-8 in a comment is not turned into U+FFFD).
 * A symbolic link is followed to the file it names (one the user named on the command line, or
 * one inside the directory they named that stays inside it); a file with several hard links is
 * rewritten in place so the links keep sharing it; a read-only file is refused, as editors ask
 * before writing one.
 */
export interface WriteRequest {
  /** The path as read. */
  path: string;
  /** The argument the path came from: the path itself, or the directory walked to find it. */
  root: string;
  original: string;
  splices: readonly TextSplice[];
}

export interface WriteOutcome {
  error?: PalisadeError;
  /** Where the bytes went (the link's target for a symbolic link). */
  written?: string;
  /** What the writer did that the user should know (a link followed, a file rewritten in place). */
  notes: string[];
}

export async function writeHardened(request: WriteRequest): Promise<WriteOutcome> {
  const { path, root, original, splices } = request;
  const location = { file: path, line: 1, column: 1 };
  const fail = (code: string, message: string, cause?: unknown): WriteOutcome => ({ error: new PalisadeError(code, message, { errorClass: 'fatal', location, ...(cause === undefined ? {} : { cause }) }), notes: [] });
  const notes: string[] = [];
  let target = path;
  try {
    if ((await lstat(path)).isSymbolicLink()) {
      target = await realpath(path);
      if (path !== root) {
        const tree = await realpath(root);
        const rel = relative(tree, target);
        if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return fail('HARDEN_LINK_OUTSIDE', `refusing to write ${path}: it is a symbolic link to ${target}, outside ${root}; name the file itself to edit it`);
      }
      notes.push(`${path} is a symbolic link: edited its target ${target}`);
    }
  } catch (cause) {
    return fail('HARDEN_WRITE_FAILED', `cannot resolve ${path}: ${(cause as Error).message}`, cause);
  }
  let bytes: Buffer;
  let info;
  try {
    info = await stat(target);
    bytes = await readFile(target);
  } catch (cause) {
    return fail('HARDEN_WRITE_FAILED', `cannot re-read ${path} before writing: ${(cause as Error).message}`, cause);
  }
  if ((info.mode & 0o222) === 0) return fail('HARDEN_READ_ONLY', `refusing to write ${path}: it is read-only (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); make it writable (chmod u+w) to let harden edit it`);
  if (bytes.toString('utf8') !== original) return fail('HARDEN_FILE_CHANGED', `${path} changed since it was read; not overwritten (run harden again)`);
  const edited = spliceBytes(bytes, original, splices);
  if (!edited) return fail('HARDEN_WRITE_FAILED', `cannot map the edits of ${path} onto its bytes; not overwritten`);
  try {
    if (info.nlink > 1) {
      // A rename would give this name a new inode and leave the other links with the old text.
      const handle = await open(target, 'r+');
      try {
        await handle.write(edited, 0, edited.length, 0);
        await handle.truncate(edited.length);
      } finally {
        await handle.close();
      }
      notes.push(`${path} has ${info.nlink} hard links: rewritten in place so they all see the change`);
    } else {
      const temp = join(dirname(target), `.${basename(target)}.palisade-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
      try {
        await writeFile(temp, edited, { mode: info.mode & 0o7777, flag: 'wx' });
        await rename(temp, target);
      } catch (cause) {
        await unlink(temp).catch(() => undefined);
        throw cause;
      }
    }
  } catch (cause) {
    return fail('HARDEN_WRITE_FAILED', `cannot write ${path}: ${(cause as Error).message}`, cause);
  }
  return { written: target, notes };
}

/**
 * Apply text splices (UTF-16 offsets into `text`, the UTF-8 decoding of `bytes`) to the bytes.
 * Offsets are mapped through a WHATWG UTF-8 decode of the bytes (the decoder Node uses), so an
 * invalid sequence, which decodes to one U+FFFD, keeps its original bytes. Undefined if the
 * decode does not reproduce `text` (never expected) or a splice cuts a code point.
 */
export function spliceBytes(bytes: Buffer, text: string, splices: readonly TextSplice[]): Buffer | undefined {
  if (splices.length === 0) return bytes;
  const fast = Buffer.from(text, 'utf8');
  if (fast.equals(bytes)) {
    // Valid UTF-8: the bytes are the text's encoding; splice the text and encode it.
    let out = '';
    let at = 0;
    for (const s of splices) {
      out += text.slice(at, s.start) + s.text;
      at = s.end;
    }
    return Buffer.from(out + text.slice(at), 'utf8');
  }
  const byteAt = utf16ToByteOffsets(bytes, text.length);
  if (!byteAt) return undefined;
  const parts: Buffer[] = [];
  let at = 0;
  for (const s of splices) {
    const start = byteAt[s.start];
    const end = byteAt[s.end];
    if (start === undefined || end === undefined || start === NO_OFFSET || end === NO_OFFSET || s.start < at) return undefined;
    parts.push(bytes.subarray(byteAt[at], start), Buffer.from(s.text, 'utf8'));
    at = s.end;
  }
  parts.push(bytes.subarray(byteAt[at]));
  return Buffer.concat(parts);
}

const NO_OFFSET = 0xffffffff;

/** For each UTF-16 offset of the decoded text (and its end), the byte offset it starts at. */
function utf16ToByteOffsets(bytes: Buffer, textLength: number): Uint32Array | undefined {
  const map = new Uint32Array(textLength + 1).fill(NO_OFFSET);
  let unit = 0;
  const emit = (codePoint: number, start: number): boolean => {
    if (unit >= textLength) return false;
    map[unit++] = start;
    if (codePoint > 0xffff) {
      if (unit >= textLength) return false;
      unit++; // the low surrogate: no splice may start inside a code point
    }
    return true;
  };
  let needed = 0;
  let seen = 0;
  let codePoint = 0;
  let lower = 0x80;
  let upper = 0xbf;
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    if (needed === 0) {
      start = i;
      if (b <= 0x7f) {
        if (!emit(b, i)) return undefined;
      } else if (b >= 0xc2 && b <= 0xdf) {
        needed = 1;
        codePoint = b & 0x1f;
      } else if (b >= 0xe0 && b <= 0xef) {
        if (b === 0xe0) lower = 0xa0;
        if (b === 0xed) upper = 0x9f;
        needed = 2;
        codePoint = b & 0x0f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        if (b === 0xf0) lower = 0x90;
        if (b === 0xf4) upper = 0x8f;
        needed = 3;
        codePoint = b & 0x07;
      } else if (!emit(0xfffd, i)) return undefined;
      continue;
    }
    if (b < lower || b > upper) {
      // The sequence so far is one U+FFFD; this byte starts afresh.
      needed = seen = codePoint = 0;
      lower = 0x80;
      upper = 0xbf;
      if (!emit(0xfffd, start)) return undefined;
      i--;
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (b & 0x3f);
    if (++seen === needed) {
      if (!emit(codePoint, start)) return undefined;
      needed = seen = codePoint = 0;
    }
  }
  if (needed !== 0 && !emit(0xfffd, start)) return undefined;
  if (unit !== textLength) return undefined;
  map[textLength] = bytes.length;
  return map;
}
