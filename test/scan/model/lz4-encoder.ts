/**
 * A small LZ4 frame writer for tests (lz4_Frame_format.md, lz4_Block_format.md): greedy matches found
 * with a 4-byte hash, every frame option the reader must follow (block sizes, linked or independent
 * blocks, stored blocks, block and content checksums as placeholders, content size, skippable frames).
 */

export interface FrameOptions {
  /** Block maximum size code 4..7 (64 KB .. 4 MB); tests pass a small `blockBytes` to get many blocks. */
  bd: 4 | 5 | 6 | 7;
  blockBytes?: number;
  linked: boolean;
  blockChecksum: boolean;
  contentChecksum: boolean;
  contentSize: boolean;
  /** Store blocks uncompressed (high bit of the block size). */
  stored: boolean;
}

function u32(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}

function lengthBytes(n: number): number[] {
  const out: number[] = [];
  while (n >= 255) {
    out.push(255);
    n -= 255;
  }
  out.push(n);
  return out;
}

/** One compressed block of data[start, end); matches may reach back to `windowStart`. */
function encodeBlock(data: Uint8Array, start: number, end: number, windowStart: number): number[] {
  const out: number[] = [];
  const table = new Map<number, number>();
  let anchor = start;
  let i = start;
  const key = (p: number): number => ((data[p] ?? 0) | ((data[p + 1] ?? 0) << 8) | ((data[p + 2] ?? 0) << 16) | ((data[p + 3] ?? 0) << 24)) >>> 0;
  for (let p = windowStart; p < start && p + 4 <= start; p++) table.set(key(p), p);
  while (i + 4 <= end) {
    const k = key(i);
    const candidate = table.get(k);
    table.set(k, i);
    if (candidate !== undefined && i - candidate <= 65535 && candidate >= windowStart && key(candidate) === k) {
      let len = 4;
      while (i + len < end && data[candidate + len] === data[i + len]) len++;
      const literals = i - anchor;
      const ml = len - 4;
      out.push((Math.min(literals, 15) << 4) | Math.min(ml, 15));
      if (literals >= 15) out.push(...lengthBytes(literals - 15));
      for (let q = anchor; q < i; q++) out.push(data[q] ?? 0);
      const offset = i - candidate;
      out.push(offset & 255, offset >>> 8);
      if (ml >= 15) out.push(...lengthBytes(ml - 15));
      i += len;
      anchor = i;
    } else {
      i++;
    }
  }
  const literals = end - anchor;
  out.push(Math.min(literals, 15) << 4);
  if (literals >= 15) out.push(...lengthBytes(literals - 15));
  for (let q = anchor; q < end; q++) out.push(data[q] ?? 0);
  return out;
}

export function lz4Frame(data: Uint8Array, o: FrameOptions): Uint8Array {
  const flg = 0x40 | (o.linked ? 0 : 0x20) | (o.blockChecksum ? 0x10 : 0) | (o.contentSize ? 0x08 : 0) | (o.contentChecksum ? 0x04 : 0);
  const out: number[] = [0x04, 0x22, 0x4d, 0x18, flg, o.bd << 4];
  if (o.contentSize) out.push(...u32(data.length), 0, 0, 0, 0);
  out.push(0x00); // header checksum: not verified by the reader under test
  const max = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20][o.bd] ?? 65536;
  const step = Math.min(max, o.blockBytes ?? max);
  for (let at = 0; at < data.length; at += step) {
    const end = Math.min(data.length, at + step);
    if (o.stored) {
      out.push(...u32((end - at) | 0x80000000));
      for (let q = at; q < end; q++) out.push(data[q] ?? 0);
    } else {
      const block = encodeBlock(data, at, end, o.linked ? Math.max(0, at - 65535) : at);
      out.push(...u32(block.length), ...block);
    }
    if (o.blockChecksum) out.push(0, 0, 0, 0);
  }
  out.push(0, 0, 0, 0);
  if (o.contentChecksum) out.push(0, 0, 0, 0);
  return Uint8Array.from(out);
}

/** A skippable frame (magic 0x184D2A5x) carrying `size` bytes of junk. */
export function skippableFrame(nibble: number, size: number): Uint8Array {
  return Uint8Array.from([0x50 | (nibble & 15), 0x2a, 0x4d, 0x18, ...u32(size), ...new Array<number>(size).fill(0xab)]);
}
