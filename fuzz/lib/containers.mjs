/**
 * Seed containers for the npy, zip, tar and 7z targets: each holds a pickle (with a payload or not),
 * laid out as the format's writers lay it out, so the unmutated seed has a known verdict.
 */
import { deflateRawSync } from 'node:zlib';
import { cat, le, utf8 } from './bytes.mjs';

/** numpy format.py: magic, version, little-endian header length, a dict literal padded with spaces to 64 bytes, '\n'. */
export function npy(rng, data, { descr = rng.pick(["'|O'", "'O'", "[('a', '<O')]", "('O', (2,))"]), shape = '(1,)' } = {}) {
  const version = rng.pick([1, 2, 3]);
  const dict = `{'descr': ${descr}, 'fortran_order': ${rng.pick(['False', 'True'])}, 'shape': ${shape}, }`;
  const lenBytes = version === 1 ? 2 : 4;
  const pre = 6 + 2 + lenBytes;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  const header = dict + ' '.repeat(total - pre - dict.length - 1) + '\n';
  return cat(0x93, 'NUMPY', version, 0, le(header.length, lenBytes), header, data);
}

function crc32(data) {
  let c = ~0;
  for (const b of data) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** A zip (APPNOTE 4.3): members stored or deflated, with CRCs, central directory and end record. */
export function zip(rng, members) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const m of members) {
    const name = utf8(m.name);
    const deflate = m.deflate ?? rng.chance(0.5);
    const body = deflate ? deflateRawSync(m.data) : m.data;
    const fields = [...le(deflate ? 8 : 0, 2), 0, 0, 0, 0, ...le(crc32(m.data), 4), ...le(body.length, 4), ...le(m.data.length, 4), ...le(name.length, 2), 0, 0];
    const header = cat(le(0x04034b50, 4), 20, 0, 0, 0, fields, name);
    locals.push(header, body);
    central.push(cat(le(0x02014b50, 4), 20, 0, 20, 0, 0, 0, fields, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, le(offset, 4), name));
    offset += header.length + body.length;
  }
  const cd = cat(...central);
  return cat(...locals, cd, le(0x06054b50, 4), 0, 0, 0, 0, le(members.length, 2), le(members.length, 2), le(cd.length, 4), le(offset, 4), 0, 0);
}

function octal(n, width) {
  return n.toString(8).padStart(width - 1, '0') + '\0';
}

/** A tar header as tarfile reads it: ustar or V7, octal or GNU base-256 size, the type flag given. */
function tarHeader(rng, name, size, type) {
  const h = new Uint8Array(512);
  h.set(utf8(name).subarray(0, 100), 0);
  h.set(utf8(octal(0o644, 8)), 100);
  h.set(utf8(octal(0, 8)), 108);
  h.set(utf8(octal(0, 8)), 116);
  if (rng.chance(0.3)) {
    // GNU base-256: high bit of the first byte set, big-endian number in the rest.
    h[124] = 0x80;
    for (let i = 0, v = size; i < 11; i++, v = Math.floor(v / 256)) h[135 - i] = v % 256;
  } else {
    h.set(utf8(octal(size, 12)), 124);
  }
  h.set(utf8(octal(0, 12)), 136);
  h[156] = type.charCodeAt(0);
  if (rng.chance(0.7)) h.set(utf8('ustar\x0000'), 257);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.set(utf8(octal(sum, 7) + ' '), 148);
  return h;
}

/** A tar of regular members (type '0', '\0', '7', or a flag tarfile does not know, which it reads as a file). */
export function tar(rng, members) {
  const parts = [];
  for (const m of members) {
    parts.push(tarHeader(rng, m.name, m.data.length, m.type ?? rng.pick(['0', '\0', '7', 'Z', 'q'])), m.data, new Uint8Array((512 - (m.data.length % 512)) % 512));
  }
  parts.push(new Uint8Array(1024));
  return cat(...parts);
}
