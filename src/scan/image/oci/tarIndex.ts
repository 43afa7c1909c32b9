import { open } from 'node:fs/promises';

/**
 * Where each regular file of an (uncompressed) tar archive sits, read from its headers only, so a
 * layer inside a `docker save` tarball can be streamed with a ranged read instead of unpacking the
 * archive. Handles ustar prefixes, PAX `path`/`size` records and GNU long names.
 */
export interface TarEntry {
  name: string;
  offset: number;
  size: number;
}

const BLOCK = 512;

function field(block: Buffer, start: number, length: number): string {
  const raw = block.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number): number {
  const raw = block.subarray(start, start + length);
  // GNU base-256 for sizes of 8 GiB and more.
  if (((raw[0] as number) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < raw.length; i++) value = value * 256 + (raw[i] as number);
    return value;
  }
  const text = field(block, start, length).trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function paxRecords(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let position = 0;
  while (position < data.length) {
    const space = data.indexOf(0x20, position);
    if (space < 0) break;
    const length = parseInt(data.subarray(position, space).toString('utf8'), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.subarray(space + 1, position + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    position += length;
  }
  return records;
}

export function normalizeTarPath(name: string): string {
  return name.replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
}

export async function indexTar(path: string): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  const handle = await open(path, 'r');
  try {
    const { size: total } = await handle.stat();
    let offset = 0;
    let longName: string | undefined;
    let pax: Record<string, string> = {};
    const header = Buffer.alloc(BLOCK);
    while (offset + BLOCK <= total) {
      await handle.read(header, 0, BLOCK, offset);
      if (header.every((b) => b === 0)) break;
      const type = String.fromCharCode(header[156] as number);
      let size = octal(header, 124, 12);
      const dataOffset = offset + BLOCK;
      if (type === 'x' || type === 'L') {
        const data = Buffer.alloc(size);
        await handle.read(data, 0, size, dataOffset);
        if (type === 'x') pax = paxRecords(data);
        else longName = data.toString('utf8').replace(/\0+$/, '');
      } else if (type === 'g') {
        // global PAX header: nothing palisade needs
      } else {
        const prefix = field(header, 345, 155);
        const base = field(header, 0, 100);
        const name = pax.path ?? longName ?? (prefix ? `${prefix}/${base}` : base);
        if (pax.size !== undefined) size = Number(pax.size);
        if (type === '0' || type === '\0' || type === '7') entries.set(normalizeTarPath(name), { name, offset: dataOffset, size });
        longName = undefined;
        pax = {};
      }
      offset = dataOffset + Math.ceil(size / BLOCK) * BLOCK;
    }
  } finally {
    await handle.close();
  }
  return entries;
}
