import { SliceSource, type ByteSource } from '../source.js';

export interface TarEntry {
  name: string;
  source: ByteSource;
  offset: number;
}

/** True when a ustar/gnu tar header starts the file. */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  const magic = String.fromCharCode(...head.subarray(257, 262));
  return magic === 'ustar';
}

function text(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder('utf-8').decode(end >= 0 ? bytes.subarray(0, end) : bytes);
}

/** Regular files of a tar archive, as windows of the source; stops at the end marker or a bad header. */
export function readTar(source: ByteSource): { entries: TarEntry[]; error?: string } {
  const entries: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= source.size) {
    const header = source.read(pos, 512);
    if (header.every((b) => b === 0)) return { entries };
    const sizeText = text(header.subarray(124, 136)).trim();
    if (!/^[0-7]*$/.test(sizeText)) return { entries, error: `bad size field in the tar header at offset ${pos}` };
    const size = parseInt(sizeText || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header.subarray(345, 500));
    const name = longName ?? (prefix ? `${prefix}/${text(header.subarray(0, 100))}` : text(header.subarray(0, 100)));
    longName = undefined;
    const dataStart = pos + 512;
    if (dataStart + size > source.size) return { entries, error: `tar member ${name} runs past the end of the file` };
    if (type === 'L') longName = text(source.read(dataStart, size));
    else if (type === '0' || type === '\0' || type === '7') entries.push({ name, source: new SliceSource(source, dataStart, size), offset: dataStart });
    pos = dataStart + Math.ceil(size / 512) * 512;
  }
  return { entries };
}
