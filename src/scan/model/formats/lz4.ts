/**
 * LZ4 frames, as python-lz4's LZ4FrameFile writes them for joblib (`compress='lz4'`): the frame format
 * of lz4/doc/lz4_Frame_format.md (magic 04 22 4D 18, FLG/BD descriptor, blocks, end mark, optional
 * checksums) and the block format of lz4/doc/lz4_Block_format.md. Concatenated and skippable frames
 * are read as the Python reader reads them. Checksums are not verified: a file whose checksum is wrong
 * fails to load, so judging its bytes anyway only errs on the side of reporting.
 *
 * Output is bounded: decoding stops with Lz4TooLarge before more than `limit` bytes are produced.
 */

export class Lz4Error extends Error {}
export class Lz4TooLarge extends Error {}

const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: magic 0x184D2A50 to 0x184D2A5F, then a 4-byte length. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

export { LZ4_FRAME_PREFIX } from './magic.js';

class Output {
  buf: Uint8Array;
  length = 0;
  constructor(
    initial: number,
    readonly limit: number,
  ) {
    this.buf = new Uint8Array(Math.max(64, Math.min(initial, limit)));
  }
  ensure(extra: number): void {
    const need = this.length + extra;
    if (need > this.limit) throw new Lz4TooLarge(`LZ4 data decodes to more than ${this.limit} bytes`);
    if (need <= this.buf.length) return;
    const grown = new Uint8Array(Math.min(this.limit, Math.max(need, this.buf.length * 2)));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }
}

function u32(data: Uint8Array, at: number): number {
  if (at + 4 > data.length) throw new Lz4Error(`LZ4 frame truncated at offset ${at}`);
  return ((data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16) | ((data[at + 3] ?? 0) << 24)) >>> 0;
}

/** One LZ4 block (lz4_Block_format.md) appended to `out`; matches may reach into earlier blocks. */
function decodeBlock(data: Uint8Array, start: number, end: number, out: Output): void {
  let at = start;
  for (;;) {
    if (at >= end) throw new Lz4Error(`LZ4 block ends inside a sequence at offset ${at}`);
    const token = data[at++] ?? 0;
    let literals = token >>> 4;
    if (literals === 15) {
      for (;;) {
        if (at >= end) throw new Lz4Error(`LZ4 literal length runs past the block at offset ${at}`);
        const b = data[at++] ?? 0;
        literals += b;
        if (b !== 255) break;
      }
    }
    if (at + literals > end) throw new Lz4Error(`LZ4 literals run past the block at offset ${at}`);
    out.ensure(literals);
    out.buf.set(data.subarray(at, at + literals), out.length);
    out.length += literals;
    at += literals;
    // The last sequence of a block has literals only.
    if (at === end) return;
    if (at + 2 > end) throw new Lz4Error(`LZ4 match offset truncated at offset ${at}`);
    const offset = (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8);
    at += 2;
    if (offset === 0 || offset > out.length) throw new Lz4Error(`LZ4 match offset ${offset} points before the start of the data at offset ${at - 2}`);
    let match = (token & 15) + 4;
    if ((token & 15) === 15) {
      for (;;) {
        if (at >= end) throw new Lz4Error(`LZ4 match length runs past the block at offset ${at}`);
        const b = data[at++] ?? 0;
        match += b;
        if (b !== 255) break;
      }
    }
    out.ensure(match);
    const buf = out.buf;
    let from = out.length - offset;
    let to = out.length;
    if (offset >= match) {
      buf.copyWithin(to, from, from + match);
    } else {
      // Overlapping copy: the match repeats bytes it is writing.
      for (let i = 0; i < match; i++) buf[to++] = buf[from++] ?? 0;
    }
    out.length += match;
  }
}

/** Decode one frame starting at `at`; returns the offset after it. */
function decodeFrame(data: Uint8Array, at: number, out: Output): number {
  const flg = data[at + 4];
  const bd = data[at + 5];
  if (flg === undefined || bd === undefined) throw new Lz4Error('LZ4 frame descriptor truncated');
  if (flg >>> 6 !== 1) throw new Lz4Error(`LZ4 frame version ${flg >>> 6} is not 1`);
  const blockChecksum = (flg & 0x10) !== 0;
  const contentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const dictId = (flg & 0x01) !== 0;
  const maxBlock = [0, 0, 0, 0, 64 << 10, 256 << 10, 1 << 20, 4 << 20][(bd >>> 4) & 7] ?? 0;
  if (maxBlock === 0) throw new Lz4Error(`LZ4 block maximum size code ${(bd >>> 4) & 7} is invalid`);
  let p = at + 6;
  if (contentSize) {
    const size = u32(data, p) + u32(data, p + 4) * 0x100000000;
    // The declared size is only a hint (the blocks decide), but one past the limit need not be decoded.
    if (size > out.limit) throw new Lz4TooLarge(`LZ4 frame declares ${size} bytes, more than ${out.limit}`);
    p += 8;
  }
  if (dictId) throw new Lz4Error('LZ4 frame needs a dictionary (Dict-ID set), which no joblib writer uses');
  p += 1; // header checksum
  for (;;) {
    const word = u32(data, p);
    p += 4;
    if (word === 0) break;
    const size = word & 0x7fffffff;
    if (size > maxBlock) throw new Lz4Error(`LZ4 block of ${size} bytes is larger than the frame's maximum ${maxBlock}`);
    if (p + size > data.length) throw new Lz4Error(`LZ4 block of ${size} bytes runs past the end of the data`);
    if ((word & 0x80000000) !== 0) {
      out.ensure(size);
      out.buf.set(data.subarray(p, p + size), out.length);
      out.length += size;
    } else {
      decodeBlock(data, p, p + size, out);
    }
    p += size + (blockChecksum ? 4 : 0);
  }
  return p + (contentChecksum ? 4 : 0);
}

/** Decode every frame of `data`; trailing bytes that start no frame end the data, as in lz4.frame. */
export function decodeLz4Frames(data: Uint8Array, limit: number): Uint8Array {
  const out = new Output(data.length * 4, limit);
  let at = 0;
  let frames = 0;
  while (at + 4 <= data.length) {
    const magic = u32(data, at);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      at += 8 + u32(data, at + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) {
      if (frames === 0) throw new Lz4Error('not an LZ4 frame');
      break;
    }
    at = decodeFrame(data, at, out);
    frames++;
  }
  if (frames === 0) throw new Lz4Error('no LZ4 frame');
  return out.buf.subarray(0, out.length);
}
