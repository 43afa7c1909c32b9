// Model files the scan-model benches generate (never stored): a framed float pickle of ~200 MB,
// 1,000 small pickles, and stored (uncompressed) zips such as torch.save writes. Each is written
// once: an existing file is kept, so a bench can reuse its own output directory between runs.
import { createWriteStream, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MB = 1024 * 1024;

/** `value` as `width` little-endian bytes. */
export function le(value, width) {
  const b = Buffer.alloc(width);
  let v = value;
  for (let i = 0; i < width; i++) {
    b[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return b;
}

/** Stream `produce(put)` into `path` (through a temporary name); nothing when `path` exists. */
export async function write(path, produce) {
  if (existsSync(path)) return;
  const stream = createWriteStream(path + '.tmp');
  const put = (chunk) => (stream.write(chunk) ? Promise.resolve() : new Promise((r) => stream.once('drain', r)));
  await produce(put);
  await new Promise((r) => stream.end(r));
  renameSync(path + '.tmp', path);
}

/** A list of ~22.3 M floats, protocol 4, APPENDS of 1000, in 64 KiB frames as CPython writes it (~200 MB). */
export function floatsPickle(path) {
  return write(path, async (put) => {
    await put(Buffer.from([0x80, 0x04])); // PROTO 4
    const batch = Buffer.alloc(1 + 1000 * 9 + 1);
    batch[0] = 0x28; // MARK
    for (let i = 0; i < 1000; i++) {
      batch[1 + i * 9] = 0x47; // BINFLOAT
      batch.writeDoubleBE(i / 7, 2 + i * 9);
    }
    batch[batch.length - 1] = 0x65; // APPENDS
    const head = Buffer.from([0x5d, 0x94]); // EMPTY_LIST MEMOIZE
    let pending = [head];
    let pendingLength = head.length;
    const flush = async () => {
      await put(Buffer.concat([Buffer.from([0x95]), le(pendingLength, 8), ...pending])); // FRAME
      pending = [];
      pendingLength = 0;
    };
    for (let i = 0; i < 22_300; i++) {
      if (pendingLength + batch.length > 64 * 1024) await flush();
      pending.push(batch);
      pendingLength += batch.length;
    }
    pending.push(Buffer.from([0x2e])); // STOP
    pendingLength += 1;
    await flush();
  });
}

/** 1,000 small pickles over protocols 0-5: 900 benign OrderedDicts, one in ten an os.system payload. */
export function smallPickles(dir) {
  if (existsSync(join(dir, '999.pkl'))) return;
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 1000; i++) {
    const protocol = i % 6;
    const proto = protocol >= 2 ? Buffer.from([0x80, protocol]) : Buffer.alloc(0);
    const body = i % 10 === 9 ? `cos\nsystem\n(S'echo ${i}'\ntR.` : 'ccollections\nOrderedDict\n(tR(Va\nI1\nVb\nI2\nu.';
    writeFileSync(join(dir, `${String(i).padStart(3, '0')}.pkl`), Buffer.concat([proto, Buffer.from(body, 'latin1')]));
  }
}

/** A stored zip of `members` ({name, size, fill(put)}), local headers, central directory and end record. */
export function storedZip(path, members) {
  return write(path, async (put) => {
    const central = [];
    let offset = 0;
    for (const m of members) {
      const name = Buffer.from(m.name);
      const common = Buffer.concat([le(0, 2), le(0, 2), le(0, 4), le(0, 4), le(m.size, 4), le(m.size, 4), le(name.length, 2), le(0, 2)]);
      const local = Buffer.concat([le(0x04034b50, 4), le(20, 2), common, name]);
      await put(local);
      await m.fill(put);
      central.push(Buffer.concat([le(0x02014b50, 4), le(20, 2), le(20, 2), common, le(0, 2), le(0, 2), le(0, 2), le(0, 4), le(offset, 4), name]));
      offset += local.length + m.size;
    }
    const cd = Buffer.concat(central);
    await put(cd);
    await put(Buffer.concat([le(0x06054b50, 4), le(0, 4), le(members.length, 2), le(members.length, 2), le(cd.length, 4), le(offset, 4), le(0, 2)]));
  });
}
