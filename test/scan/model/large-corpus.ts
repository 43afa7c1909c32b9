import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { bytes, le, op, stackGlobal, zip } from './helpers.js';

/**
 * Files larger than the scanner's whole-file read (1 MB), so that they take the windowed path whose
 * reads and hashing issue 23 changes: framed pickles, bulk bytes the VM skips, torch zips with a
 * pickle hidden in a storage record, deflated members, polyglots, tar, gzip, NumPy, safetensors.
 * Deterministic (no randomness, no clock): the same bytes on every run, for a before/after snapshot.
 */
export const LARGE_CORPUS: ReadonlyArray<readonly [name: string, make: () => Uint8Array]> = [
  ['floats-safe.pkl', () => floatList(400, new Uint8Array(0))],
  ['floats-payload-at-end.pkl', () => floatList(400, bytes(...stackGlobal('os', 'system'), op('POP')))],
  ['bulk-then-payload.pkl', () => bytes(op('PROTO'), 4, op('BINBYTES8'), le(3 * MB + 5, 8), pattern(3 * MB + 5), op('POP'), ...stackGlobal('os', 'system'), op('POP'), op('NONE'), op('STOP'))],
  ['pickle-garbage-then-hidden.pkl', () => bytes(0x80, 2, op('NONE'), op('STOP'), pattern(1536 * 1024 + 3).map((b) => (b % 7 === 0 ? 0xff : b)), 0x80, 2, op('GLOBAL'), 'os\nsystem\n', op('STOP'))],
  ['torch-hidden-storage.pt', () => torchZip(4, 2)],
  ['torch-clean.pt', () => torchZip(3, -1)],
  ['deflated-member.zip', deflatedZip],
  ['polyglot-pickle-then-zip.pt', () => bytes(op('PROTO'), 2, op('BINUNICODE'), le(MB + 17, 4), pattern(MB + 17).map((b) => 0x41 + (b % 26)), op('POP'), op('NONE'), op('STOP'), torchZip(1, 0))],
  ['tar-with-payload.tar', () => tar([['model/weights.bin', pattern(MB + 300)], ['model/evil.pkl', bytes(0x80, 2, op('GLOBAL'), 'posix\nsystem\n', op('STOP'))]])],
  ['floats.pkl.gz', () => gzipSync(floatList(250, bytes(...stackGlobal('subprocess', 'Popen'), op('POP'))), { level: 0 })],
  ['weights.npy', () => npy('<f4', `(${(MB + 1024) / 4},)`, pattern(MB + 1024))],
  ['weights.safetensors', () => safetensors({ w: { dtype: 'F32', shape: [3 * 65536], data_offsets: [0, 3 * 262144] }, b: { dtype: 'F32', shape: [65536], data_offsets: [3 * 262144, MB] } }, MB)],
  ['image.png', () => bytes(0x89, 0x50, 0x4e, 0x47, pattern(MB + 9))],
];

const MB = 1024 * 1024;

/** Bytes 0..250 repeated: no compressor's dream, no pickle opcode run of meaning. */
function pattern(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = i % 251;
  return out;
}

/** A framed float list of `batches` x 1000 floats, like CPython writes it, then `tail` and STOP. */
function floatList(batches: number, tail: Uint8Array): Uint8Array {
  const batch = new Uint8Array(1 + 1000 * 9 + 1);
  batch[0] = op('MARK');
  const view = new DataView(batch.buffer);
  for (let i = 0; i < 1000; i++) {
    batch[1 + i * 9] = op('BINFLOAT');
    view.setFloat64(2 + i * 9, i / 7);
  }
  batch[batch.length - 1] = op('APPENDS');
  const out = new Uint8Array(2 + 2 + batches * (9 + batch.length) + tail.length + 1);
  out.set([op('PROTO'), 4, op('EMPTY_LIST'), op('MEMOIZE')]);
  let p = 4;
  for (let i = 0; i < batches; i++) {
    out.set([op('FRAME'), ...le(batch.length, 8)], p);
    out.set(batch, p + 9);
    p += 9 + batch.length;
  }
  out.set(tail, p);
  out[p + tail.length] = op('STOP');
  return out;
}

/** A stored torch zip with `records` storages of 1 MB + 7 bytes; record `hidden` starts with an os.system pickle. */
function torchZip(records: number, hidden: number): Uint8Array {
  const dataPkl = bytes(0x80, 2, op('GLOBAL'), 'collections\nOrderedDict\n', op('EMPTY_TUPLE'), op('REDUCE'), op('STOP'));
  const evil = bytes(0x80, 2, op('GLOBAL'), 'os\nsystem\n', op('BINUNICODE'), le(4, 4), 'true', op('TUPLE1'), op('REDUCE'), op('STOP'));
  const members = [{ name: 'archive/data.pkl', data: dataPkl }];
  for (let r = 0; r < records; r++) {
    const data = new Uint8Array(MB + 7).fill(0x3f);
    if (r === hidden) data.set(evil);
    members.push({ name: `archive/data/${r}`, data });
  }
  members.push({ name: 'archive/version', data: bytes('3\n') });
  return zip(members);
}

/** A zip whose one member is deflated (method 8, stored blocks: as large as its content): a 2 MB pickle with a payload at its end. */
function deflatedZip(): Uint8Array {
  const data = bytes(op('PROTO'), 4, op('BINBYTES8'), le(2 * MB, 8), pattern(2 * MB), op('POP'), ...stackGlobal('builtins', 'exec'), op('POP'), op('NONE'), op('STOP'));
  const packed = deflateRawSync(data, { level: 0 });
  const name = new TextEncoder().encode('archive/data.pkl');
  const common = [...le(0, 2), ...le(8, 2), 0, 0, 0, 0, 0, 0, 0, 0, ...le(packed.length, 4), ...le(data.length, 4), ...le(name.length, 2), 0, 0];
  const local = bytes(...le(0x04034b50, 4), 20, 0, common, name);
  const central = bytes(...le(0x02014b50, 4), 20, 0, 20, 0, common, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ...le(0, 4), name);
  const eocd = bytes(...le(0x06054b50, 4), 0, 0, 0, 0, ...le(1, 2), ...le(1, 2), ...le(central.length, 4), ...le(local.length + packed.length, 4), 0, 0);
  return bytes(local, packed, central, eocd);
}

/** A ustar archive of regular files. */
function tar(files: ReadonlyArray<readonly [string, Uint8Array]>): Uint8Array {
  const parts: Uint8Array[] = [];
  const octal = (value: number, width: number): Uint8Array => new TextEncoder().encode(value.toString(8).padStart(width - 1, '0') + '\0');
  for (const [name, content] of files) {
    const h = new Uint8Array(512);
    h.set(new TextEncoder().encode(name));
    h.set(octal(0o644, 8), 100);
    h.set(octal(0, 8), 108);
    h.set(octal(0, 8), 116);
    h.set(octal(content.length, 12), 124);
    h.set(octal(0, 12), 136);
    h[156] = 0x30;
    h.set(new TextEncoder().encode('ustar\x0000'), 257);
    h.fill(0x20, 148, 156);
    h.set(new TextEncoder().encode(h.reduce((a, b) => a + b, 0).toString(8).padStart(6, '0') + '\0 '), 148);
    const padded = new Uint8Array(Math.ceil(content.length / 512) * 512);
    padded.set(content);
    parts.push(h, padded);
  }
  return bytes(...parts, new Uint8Array(1024));
}

function npy(descr: string, shape: string, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 11, ' ') + '\n';
  return bytes(0x93, 'NUMPY', 1, 0, ...le(header.length, 2), header, data);
}

function safetensors(header: unknown, dataLength: number): Uint8Array {
  const json = JSON.stringify(header);
  return bytes(...le(json.length, 8), json, pattern(dataLength));
}

/** Write the corpus into `dir`; returns the file names in order. */
export function writeLargeCorpus(dir: string): string[] {
  for (const [name, make] of LARGE_CORPUS) writeFileSync(join(dir, name), make());
  return LARGE_CORPUS.map(([name]) => name);
}
