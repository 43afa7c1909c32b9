import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { HashingFileSource, SliceSource } from '../../../src/scan/model/source.js';

// The digest of a scanned file comes from the scanners' own reads (issue 23: one read of the file).
// Whatever reads they make, in whatever order, through slices or not, the digest must be the sha256
// of the file: each byte hashed once, in order (a byte hashed twice or skipped changes the digest).
const dir = mkdtempSync(join(tmpdir(), 'palisade-hashing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fileOf(size: number, seed: number): { path: string; data: Buffer } {
  const data = Buffer.alloc(size);
  let x = seed | 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  const path = join(dir, `f-${size}-${seed}.bin`);
  writeFileSync(path, data);
  return { path, data };
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Where a read starts: at 0, where the previous one started or ended (reads back and on), or anywhere. */
type Read = { anchor: 'zero' | 'previous start' | 'previous end' | 'anywhere'; start: number; length: number; into: boolean; slice: boolean };

describe('HashingFileSource', () => {
  it('digest is the sha256 of the file after any reads (random order, overlaps, slices, reads past the end)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300_000 }), fc.integer(), fc.array(fc.record({ anchor: fc.constantFrom('zero', 'previous start', 'previous end', 'anywhere'), start: fc.nat(), length: fc.nat({ max: 100_000 }), into: fc.boolean(), slice: fc.boolean() }), { maxLength: 12 }), (size, seed, reads: Read[]) => {
        const { path, data } = fileOf(size, seed);
        const source = new HashingFileSource(openSync(path, 'r'));
        try {
          let previous = { start: 0, end: 0 };
          for (const r of reads) {
            const start = { zero: 0, 'previous start': previous.start, 'previous end': previous.end, anywhere: size === 0 ? 0 : r.start % (size + 10) }[r.anchor];
            previous = { start, end: start + r.length };
            const target = r.slice ? new SliceSource(source, Math.min(start, size), Math.max(0, size - start)) : source;
            const at = r.slice ? 0 : start;
            const got = r.into ? (() => { const b = new Uint8Array(r.length); return b.subarray(0, target.readInto(at, b)); })() : target.read(at, r.length);
            expect(Buffer.from(got).equals(data.subarray(Math.min(start, size), Math.min(size, start + r.length)))).toBe(true);
          }
          expect(source.digest()).toBe(sha256(data));
        } finally {
          source.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a file read from its start in windows is hashed from those reads, the rest by digest()', () => {
    const { path, data } = fileOf(5 * 1024 * 1024 + 3, 7);
    const source = new HashingFileSource(openSync(path, 'r'));
    const window = new Uint8Array(1024 * 1024);
    for (let at = 0; at < 3 * window.length; at += window.length) source.readInto(at, window);
    source.read(data.length - 22, 22); // an end record read out of order is not hashed yet
    source.read(0, 100); // nor bytes read again
    source.read(2 * window.length, 2 * window.length); // a read that overlaps the hashed prefix moves it on
    expect(source.digest()).toBe(sha256(data));
    source.close();
  });
});
