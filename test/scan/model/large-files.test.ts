import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanModelFile } from '../../../src/scan/model/index.js';
import { bytes, le, op, stackGlobal, zip } from './helpers.js';

/** A framed float list of `batches` x 1000 floats, like CPython writes it. */
function floatList(batches: number, tail: Uint8Array): Uint8Array {
  const batch = bytes(op('MARK'), ...new Array<number>(1000).fill(0).flatMap(() => [op('BINFLOAT'), 0x3f, 0xf0, 0, 0, 0, 0, 0, 0]), op('APPENDS'));
  const body = new Uint8Array(2 + batches * (9 + batch.length) + tail.length + 1);
  let p = 0;
  body.set([op('EMPTY_LIST'), op('MEMOIZE')], p);
  p += 2;
  for (let i = 0; i < batches; i++) {
    body.set([op('FRAME'), ...le(batch.length, 8)], p);
    body.set(batch, p + 9);
    p += 9 + batch.length;
  }
  body.set(tail, p);
  body.set([op('STOP')], p + tail.length);
  return bytes(op('PROTO'), 4, body);
}

describe('files larger than the read window', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-large-'));

  it('a 9 MB float list read in windows is safe; a payload after it is found at its offset', async () => {
    const safe = join(dir, 'floats.pkl');
    writeFileSync(safe, floatList(1000, new Uint8Array(0)));
    expect((await scanModelFile(safe)).findings).toEqual([]);
    const payload = bytes(...stackGlobal('os', 'system'), op('POP'));
    const data = floatList(1000, payload);
    const evil = join(dir, 'evil.pkl');
    writeFileSync(evil, data);
    const r = await scanModelFile(evil);
    expect(r.findings.map((f) => [f.rule, f.global, f.offset])).toEqual([['PICKLE_DENYLISTED_GLOBAL', 'os.system', data.length - 3]]);
  });

  it('a torch zip with a 6 MB storage reads only what it parses', async () => {
    const dataPkl = bytes(op('PROTO'), 2, op('EMPTY_DICT'), op('STOP'));
    const path = join(dir, 'model.pt');
    writeFileSync(path, zip([{ name: 'archive/data.pkl', data: dataPkl }, { name: 'archive/data/0', data: new Uint8Array(6 * 1024 * 1024).fill(0x3f) }, { name: 'archive/version', data: bytes('3\n') }]));
    const r = await scanModelFile(path);
    expect([r.format, r.verdict, r.findings]).toEqual(['pytorch-zip', 'safe', []]);
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
