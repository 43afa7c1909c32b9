import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { aliasedZip, bytes, global, le, op, sbu, stackGlobal } from './helpers.js';

/** Dangerous callables and the ways a pickle can import one. */
const CALLABLES: ReadonlyArray<[string, string]> = [['os', 'system'], ['posix', 'system'], ['subprocess', 'Popen'], ['builtins', 'eval'], ['__builtin__', 'exec'], ['runpy', '_run_code']];
const expected = (m: string, n: string): string => `${m === '__builtin__' ? 'builtins' : m}.${n}`;

const payload = fc.tuple(fc.constantFrom(...CALLABLES), fc.constantFrom('GLOBAL', 'STACK_GLOBAL', 'INST')).map(([[m, n], how]) => {
  const call =
    how === 'GLOBAL' ? bytes(...global(m, n), op('MARK'), op('SHORT_BINUNICODE'), 2, 'id', op('TUPLE'), op('REDUCE'))
    : how === 'STACK_GLOBAL' ? bytes(...stackGlobal(m, n), ...sbu('id'), op('TUPLE1'), op('REDUCE'))
    : bytes(op('MARK'), op('SHORT_BINUNICODE'), 2, 'id', op('INST'), `${m}\n${n}\n`);
  return { call, global: expected(m, n) };
});

/** A ustar header block with a valid checksum; `head` overwrites its first bytes (the name field). */
function tarHeader(name: string, size: number, head?: Uint8Array): Uint8Array {
  const h = new Uint8Array(512);
  h.set(new TextEncoder().encode(name).subarray(0, 100));
  if (head) h.set(head.subarray(0, 100));
  const octal = (value: number, width: number): Uint8Array => new TextEncoder().encode(value.toString(8).padStart(width - 1, '0') + '\0');
  h.set(octal(0o644, 8), 100);
  h.set(octal(0, 8), 108);
  h.set(octal(0, 8), 116);
  h.set(octal(size, 12), 124);
  h.set(octal(0, 12), 136);
  h[156] = 0x30;
  h.set(new TextEncoder().encode('ustar\x0000'), 257);
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return h;
}

function tar(header: Uint8Array, content: Uint8Array): Uint8Array {
  const padded = new Uint8Array(Math.ceil(content.length / 512) * 512);
  padded.set(content);
  return bytes(header, padded, new Uint8Array(1024));
}

describe('polyglots: every reading a loader could take is judged', () => {
  it('a valid tar whose header is also a pickle: the tar member is benign, the pickle is judged', async () => {
    await fc.assert(
      fc.asyncProperty(payload, fc.uint8Array({ minLength: 0, maxLength: 600 }), async ({ call, global: g }, content) => {
        const pickle = bytes(call, op('STOP'));
        fc.pre(pickle.length <= 100);
        const file = tar(tarHeader('x', content.length, pickle), content);
        const r = await scanModelBytes(file, 'model.pt');
        expect(r.verdict).toBe('malicious');
        expect(r.findings.some((f) => f.global === g)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('a pickle carrying "ustar" at offset 257 inside a string is still judged as a pickle', async () => {
    await fc.assert(
      fc.asyncProperty(payload, fc.nat(40), async ({ call, global: g }, extra) => {
        // BINUNICODE of n chars starting at offset 2 (after PROTO) puts its text at offset 7
        const text = 'a'.repeat(250) + 'ustar\u000000' + 'b'.repeat(extra);
        const file = bytes(op('PROTO'), 2, op('BINUNICODE'), le(text.length, 4), text, op('POP'), call, op('STOP'));
        expect(String.fromCharCode(...file.subarray(257, 262))).toBe('ustar');
        const r = await scanModelBytes(file, 'model.pkl');
        expect([r.verdict, r.findings.some((f) => f.global === g)]).toEqual(['malicious', true]);
      }),
      { numRuns: 40 },
    );
  });

  it('pickles that start with the magic of other formats (MZ, GIF89a, GIF87a, %PDF, PNG) are judged as pickles', async () => {
    // each prefix is consumed by opcodes: 'M' BININT2 takes 2 bytes, 'G' BINFLOAT takes 8, '%'... is not an opcode
    const prefixes: ReadonlyArray<[string, Uint8Array]> = [
      ['MZ', bytes('MZ', 0x90)],
      ['GIF89a', bytes('GIF89a', 0, 0, 0)],
      ['GIF87a', bytes('GIF87a', 0, 0, 0)],
    ];
    await fc.assert(
      fc.asyncProperty(payload, fc.constantFrom(...prefixes), async ({ call, global: g }, [, prefix]) => {
        const file = bytes(prefix, call, op('STOP'));
        const r = await scanModelBytes(file, 'weights.bin');
        expect([r.verdict, r.findings.map((f) => f.global)]).toEqual(['malicious', [g]]);
      }),
      { numRuns: 60 },
    );
  });

  it('a real GIF or PE file stays "unsupported"', async () => {
    expect((await scanModelBytes(bytes('GIF89a', 1, 0, 1, 0, 0x80, 0, 0, ';'), 'x.gif')).verdict).toBe('unsupported');
    expect((await scanModelBytes(bytes('MZ', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff), 'x.exe')).verdict).toBe('unsupported');
  });
});

/** One deflated member and many central-directory entries that all point at it. */

describe('zip entries that share bytes', () => {
  it('are reported, and the shared member is inflated and judged once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 64 }), payload, async (count, { call, global: g }) => {
        const names = Array.from({ length: count }, (_, i) => `archive/data${i}.pkl`);
        const r = await scanModelBytes(aliasedZip(bytes(call, op('STOP')), names), 'model.pt');
        expect(r.findings.filter((f) => f.rule === 'ZIP_OVERLAPPING_MEMBERS')).toHaveLength(1);
        expect(r.findings.filter((f) => f.global === g)).toHaveLength(1);
        expect(r.verdict).toBe('malicious');
      }),
      { numRuns: 30 },
    );
  });

  it('64 entries pointing at one 32 MB member take one inflation, not 64', async () => {
    const started = Date.now();
    const r = await scanModelBytes(aliasedZip(new Uint8Array(32 * 1024 * 1024), Array.from({ length: 64 }, (_, i) => `m${i}`)), 'bomb.zip', { hash: false });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(r.findings.map((f) => f.rule)).toContain('ZIP_OVERLAPPING_MEMBERS');
  });

  it('the total inflated per scan is bounded, with a message naming the limit', async () => {
    const r = await scanModelBytes(aliasedZip(new Uint8Array(600 * 1024).fill(0x4e), ['a', 'b']), 'x.zip', { limits: { maxInflatedTotal: 1024 * 1024 } });
    // the two names share one member: one inflation, within the limit
    expect(r.findings.map((f) => f.rule)).toEqual(['ZIP_OVERLAPPING_MEMBERS']);
    const tight = await scanModelBytes(aliasedZip(new Uint8Array(600 * 1024).fill(0x4e), ['a']), 'x.zip', { limits: { maxInflatedTotal: 500 * 1024 } });
    expect(tight.findings.map((f) => [f.rule, f.verdict])).toEqual([['SCAN_LIMIT_REACHED', 'suspicious']]);
    expect(tight.findings[0]?.message).toMatch(/raise the maxInflatedTotal limit/);
  });
});
