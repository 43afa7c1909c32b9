import * as SevenZipImport from '7z-wasm';
import type { SevenZipModuleFactory } from '7z-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../src/scan/model/index.js';
import { unpackWithSevenZip } from '../../src/scan/model/formats/sevenZip.js';
import { DEFAULT_LIMITS } from '../../src/scan/model/policy/limits.js';
import { BufferSource } from '../../src/scan/model/source.js';
import { bytes, global, op, sbu } from '../scan/model/helpers.js';

/**
 * Hostile 7z and bzip2 data, packed here by 7-Zip itself: archives whose declared sizes pass the
 * per-member and ratio checks but add up past the output bound, size-less streams (bzip2), and
 * unpacking cut by the scan's deadline. 7-Zip's WASM build decodes about 10 MB/s and keeps its
 * output in memory, so these must be refused or stopped, never decoded to the end.
 */
const imported = SevenZipImport as unknown as { default: SevenZipModuleFactory & { default?: SevenZipModuleFactory } };
const factory: SevenZipModuleFactory = imported.default.default ?? imported.default;

async function pack(type: string, files: Record<string, Uint8Array>, switches: string[] = []): Promise<Uint8Array> {
  const module = await factory({ print: () => undefined, printErr: () => undefined });
  module.FS.mkdir('/src');
  for (const [name, data] of Object.entries(files)) module.FS.writeFile(`/src/${name}`, data);
  module.FS.chdir('/src');
  module.callMain(['a', `-t${type}`, ...switches, '/out.bin', ...Object.keys(files)]);
  return module.FS.readFile('/out.bin');
}

/** Low-entropy bytes (4 random bits each): they compress about 2:1, far under any bomb ratio. */
function noise(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0x0f;
  }
  return out;
}

const evil = bytes(op('PROTO'), 2, ...global('os', 'system'), ...sbu('true'), op('TUPLE1'), op('REDUCE'), op('STOP'));
const KiB = 1024;
const bound = 256 * KiB;

describe('hostile 7z', () => {
  it('refuses from the declared sizes what would unpack past maxSevenZipOutput, and judges what fits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 160 }), { minLength: 1, maxLength: 4 }), fc.boolean(), fc.integer({ min: 1, max: 1 << 30 }), async (sizesKiB, solid, seed) => {
        const files: Record<string, Uint8Array> = { 'a.pkl': evil };
        sizesKiB.forEach((k, i) => (files[`n${i}.bin`] = noise(k * KiB, seed + i)));
        const archive = await pack('7z', files, [solid ? '-ms=on' : '-ms=off', '-mx=1']);
        const declared = evil.length + sizesKiB.reduce((n, k) => n + k * KiB, 0);
        const r = await scanModelBytes(archive, 'model.7z', { limits: { maxSevenZipOutput: bound } });
        if (declared > bound) {
          expect([r.verdict, r.findings.map((f) => [f.rule, f.message])]).toEqual(['suspicious', [['SCAN_LIMIT_REACHED', `7z data declares ${declared} bytes of content, more than ${bound} bytes: not unpacked; what was not read is not known to be safe (raise the maxSevenZipOutput limit to read it)`]]]);
        } else {
          expect([r.verdict, r.findings.map((f) => [f.rule, f.member])]).toEqual(['malicious', [['PICKLE_DENYLISTED_GLOBAL', 'a.pkl']]]);
        }
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  it('stops a size-less bzip2 stream at the output bound, inside 7-Zip\'s writes', async () => {
    const stream = await pack('bzip2', { 'z.bin': new Uint8Array(2 * 1024 * KiB) });
    const r = await unpackWithSevenZip(new BufferSource(stream), 'bzip2', { ...DEFAULT_LIMITS, maxSevenZipOutput: bound });
    expect(r.kind).toBe('members');
    if (r.kind !== 'members') return;
    expect(r.stopped).toEqual({ by: 'maxSevenZipOutput', limit: bound });
    expect(r.members.reduce((n, m) => n + m.bytes.length, 0)).toBeLessThanOrEqual(bound);
    const scanned = await scanModelBytes(stream, 'z.bin.bz2', { limits: { maxSevenZipOutput: bound } });
    expect(scanned.findings.map((f) => [f.rule, f.message])).toContainEqual(['SCAN_LIMIT_REACHED', `bzip2 data unpacks to more than ${bound} bytes: unpacking stopped there; what was not read is not known to be safe (raise the maxSevenZipOutput limit to read it)`]);
    expect(scanned.verdict).toBe('suspicious');
  });

  it('stops unpacking when the scan\'s deadline passes, keeping only what came out before', async () => {
    const big = noise(600 * KiB, 7);
    const archive = await pack('7z', { 'a.pkl': evil, 'b.bin': big }, ['-ms=off', '-mx=1']);
    for (const after of [1, 2, 3]) {
      let writes = 0;
      const r = await unpackWithSevenZip(new BufferSource(archive), '7z', DEFAULT_LIMITS, DEFAULT_LIMITS.maxInflatedTotal, () => ++writes > after);
      expect(r.kind === 'members' && r.stopped).toEqual({ by: 'timeout', limit: 0 });
      if (r.kind !== 'members') return;
      // Every member is a prefix of its source, and the big one did not come out whole.
      for (const m of r.members) expect(Buffer.from(m.bytes).equals(Buffer.from((m.name === 'a.pkl' ? evil : big).subarray(0, m.bytes.length)))).toBe(true);
      expect(r.members.find((m) => m.name === 'b.bin')?.bytes.length ?? 0).toBeLessThan(big.length);
    }
  });
});
