import { isTarHeader, listTar, TAR_BLOCK } from '../../archive/index.js';
import { SliceSource, type ByteSource } from '../source.js';

export interface TarEntry {
  name: string;
  source: ByteSource;
  offset: number;
  /** GNU sparse: the source holds the stored chunks only. */
  sparse: boolean;
}

/** True when the file starts with a header Python's tarfile accepts (checksum, numbers; any magic). */
export function looksLikeTar(head: Uint8Array): boolean {
  return head.length >= TAR_BLOCK && isTarHeader(head.subarray(0, TAR_BLOCK));
}

/**
 * The members tarfile reads as regular files (unknown types included), as windows of the source.
 * `error` says why tarfile would stop with an error, or that a member runs past the end.
 */
export function readTar(source: ByteSource): { entries: TarEntry[]; error?: string } {
  const listing = listTar((offset, length) => source.read(offset, length), source.size);
  const entries: TarEntry[] = [];
  let error = listing.error;
  for (const member of listing.members) {
    if (!member.regular) continue;
    const available = Math.max(0, Math.min(member.size, source.size - member.dataOffset));
    if (available < member.size) error ??= `tar member ${member.name} runs past the end of the file`;
    entries.push({ name: member.name, source: new SliceSource(source, member.dataOffset, available), offset: member.dataOffset, sparse: member.sparse });
  }
  return { entries, ...(error !== undefined ? { error } : {}) };
}
