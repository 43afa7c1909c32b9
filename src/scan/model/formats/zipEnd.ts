import type { ByteSource } from '../source.js';

/**
 * Where a zip's end-of-central-directory record is: asked of every file scanned (a pickle with a
 * zip directory at its end is both), so it lives apart from the zip reader and its inflater, which
 * load only when a file is a zip.
 */
export const EOCD = 0x06054b50;

/** Offset of the end-of-central-directory record, searching back over a comment; -1 if none. */
export function findEndOfCentralDirectory(source: ByteSource): number {
  if (source.size < 22) return -1;
  const from = Math.max(0, source.size - 22 - 0xffff);
  const tail = source.read(from, source.size - from);
  const dv = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail[i] === 0x50 && tail[i + 1] === 0x4b && dv.getUint32(i, true) === EOCD) {
      // The comment length must reach the end of the file (tolerating trailing bytes would accept random PK\5\6).
      if (i + 22 + dv.getUint16(i + 20, true) <= tail.length) return from + i;
    }
  }
  return -1;
}
