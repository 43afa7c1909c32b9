/** Byte helpers shared by targets. */

const encoder = new TextEncoder();

/** Concatenate parts: numbers are bytes, strings latin1, arrays and Uint8Arrays as they are. */
export function cat(...parts) {
  const chunks = parts.map((p) => (typeof p === 'number' ? Uint8Array.of(p) : typeof p === 'string' ? Uint8Array.from(p, (c) => c.charCodeAt(0) & 0xff) : p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function le(value, width) {
  const out = [];
  let v = value;
  for (let i = 0; i < width; i++) {
    out.push(v % 256);
    v = Math.floor(v / 256);
  }
  return out;
}

export const utf8 = (text) => encoder.encode(text);

const INTERESTING = [0x00, 0x0a, 0x20, 0x28, 0x2e, 0x30, 0x4c, 0x49, 0x50, 0x4b, 0x63, 0x67, 0x70, 0x7f, 0x80, 0x93, 0x94, 0x95, 0xff];

/**
 * Generic byte mutations: flips, interesting bytes, inserts, deletes, duplications, truncation and
 * splices from another input. `protect` is a range [from, to) mutated less often (a payload).
 */
export function mutate(rng, input, others = [], rounds = 1 + rng.int(4)) {
  let data = Uint8Array.from(input);
  for (let r = 0; r < rounds; r++) {
    const at = data.length === 0 ? 0 : rng.int(data.length);
    switch (rng.int(8)) {
      case 0:
        if (data.length) data[at] ^= 1 << rng.int(8);
        break;
      case 1:
        if (data.length) data[at] = rng.pick(INTERESTING);
        break;
      case 2:
        data = cat(data.subarray(0, at), rng.bytes(1 + rng.int(8)), data.subarray(at));
        break;
      case 3:
        data = cat(data.subarray(0, at), data.subarray(at + 1 + rng.int(16)));
        break;
      case 4:
        if (rng.chance(0.3)) data = data.subarray(0, at);
        break;
      case 5:
        data = cat(data.subarray(0, at), data.subarray(at, at + 1 + rng.int(64)), data.subarray(at));
        break;
      case 6:
        if (others.length) {
          const other = rng.pick(others);
          const from = rng.int(Math.max(1, other.length));
          data = cat(data.subarray(0, at), other.subarray(from, from + 1 + rng.int(128)), data.subarray(at));
        }
        break;
      default:
        if (data.length > 1) {
          // overwrite a little-endian length-like field with an extreme value
          const width = rng.pick([1, 2, 4, 8]);
          const value = rng.pick([0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0xffffffff]);
          for (let i = 0; i < width && at + i < data.length; i++) data[at + i] = (value >>> (8 * Math.min(i, 3))) & 0xff;
        }
    }
  }
  return data;
}
