import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTarHeader, listTar, tarNumber } from '../../../src/scan/archive/tar.js';
import { scanModelBytes } from '../../../src/scan/model/index.js';
import { bytes, global, op } from './helpers.js';

// Header forms Python's tarfile accepts (Lib/tarfile.py frombuf/nti/_proc_member): any magic with a
// valid checksum, octal or base-256 numbers, unknown type flags read as regular files, PAX and GNU
// long names. A payload in any of them must be found.

const PAYLOAD = bytes(...global('os', 'system'), op('MARK'), op('SHORT_BINUNICODE'), 2, 'id', op('TUPLE'), op('REDUCE'), op('STOP'));

type SizeForm = 'octal' | 'octal-spaces' | 'base256' | 'octal-no-nul';

function numberField(value: number, width: number, form: SizeForm): Uint8Array {
  const out = new Uint8Array(width);
  if (form === 'base256') {
    out[0] = 0x80;
    let v = value;
    for (let i = width - 1; i > 0; i--) {
      out[i] = v % 256;
      v = Math.floor(v / 256);
    }
    return out;
  }
  const digits = value.toString(8);
  const text = form === 'octal' ? digits.padStart(width - 1, '0') + '\0' : form === 'octal-spaces' ? ` ${digits}`.padStart(width - 1, ' ') + ' ' : digits.padStart(width, '0');
  out.set(new TextEncoder().encode(text.slice(0, width)));
  return out;
}

function header(name: string, size: number, type: string, form: SizeForm, magic: 'ustar' | 'gnu' | 'v7'): Uint8Array {
  const h = new Uint8Array(512);
  h.set(new TextEncoder().encode(name).subarray(0, 100));
  h.set(numberField(0o644, 8, 'octal'), 100);
  h.set(numberField(size, 12, form), 124);
  h[156] = type.charCodeAt(0);
  if (magic === 'ustar') h.set(new TextEncoder().encode('ustar\x0000'), 257);
  if (magic === 'gnu') h.set(new TextEncoder().encode('ustar  \0'), 257);
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  h.set(new TextEncoder().encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
  return h;
}

const pad = (data: Uint8Array): Uint8Array => {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
};

function pax(records: Record<string, string>): Uint8Array {
  let text = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let n = body.length + 1;
    while (String(n).length + body.length !== n) n = String(n).length + body.length;
    text += `${n}${body}`;
  }
  return new TextEncoder().encode(text);
}

const form = fc.constantFrom<SizeForm>('octal', 'octal-spaces', 'base256', 'octal-no-nul');
const magic = fc.constantFrom<'ustar' | 'gnu' | 'v7'>('ustar', 'gnu', 'v7');
// '0', NUL, '7' and 'S' are regular; letters tarfile does not know are read as regular files too
const regularType = fc.constantFrom('0', '\0', '7', 'A', 'Z', 'V', 'M', 'N', '9', 'E', 'I');

describe('tar header forms tarfile accepts', () => {
  it('tarNumber reads octal with NULs/spaces and GNU base-256 (positive and negative)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o77777777777 }), form, (value, f) => {
        expect(tarNumber(numberField(value, 12, f))).toBe(value);
      }),
      { numRuns: 200 },
    );
    expect(tarNumber(Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe))).toBe(-2);
    expect(() => tarNumber(new TextEncoder().encode('0000009\0'))).toThrow();
  });

  it('a payload member is judged whatever its type flag, size form, magic, PAX or GNU long name', async () => {
    await fc.assert(
      fc.asyncProperty(regularType, form, magic, fc.constantFrom('plain', 'pax-path', 'pax-size', 'gnu-long', 'pax-global'), fc.nat(3), async (type, f, m, meta, before) => {
        const parts: Uint8Array[] = [];
        for (let i = 0; i < before; i++) parts.push(header(`dir${i}/`, 0, '5', 'octal', m));
        const longName = `${'very-long-directory-name/'.repeat(6)}data.pkl`;
        if (meta === 'pax-path' || meta === 'pax-size' || meta === 'pax-global') {
          const records: Record<string, string> = meta === 'pax-size' ? { size: String(PAYLOAD.length) } : { path: longName };
          const body = pax(records);
          parts.push(header('PaxHeader', body.length, meta === 'pax-global' ? 'g' : 'x', 'octal', m), pad(body));
        }
        if (meta === 'gnu-long') {
          const body = new TextEncoder().encode(`${longName}\0`);
          parts.push(header('././@LongLink', body.length, 'L', 'octal', m), pad(body));
        }
        // with a PAX size, the header's own size field is ignored: make it wrong on purpose
        parts.push(header('data.pkl', meta === 'pax-size' ? 3 : PAYLOAD.length, type, f, m), pad(PAYLOAD), new Uint8Array(1024));
        const file = bytes(...parts);
        const listing = listTar((o, n) => file.subarray(o, o + n), file.length);
        const member = listing.members.find((x) => x.regular);
        expect(member?.size).toBe(PAYLOAD.length);
        if (meta !== 'plain' && meta !== 'pax-size') expect(member?.name).toBe(longName);
        const r = await scanModelBytes(file, 'model.tar');
        expect([r.format, r.verdict, r.findings.map((x) => x.global)]).toEqual(['tar', 'malicious', ['os.system']]);
      }),
      { numRuns: 150 },
    );
  });

  it('a block with a wrong checksum is not a tar header, and ends an archive as tarfile ends it', () => {
    const good = header('a', 0, '0', 'octal', 'ustar');
    expect(isTarHeader(good)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 511 }).filter((i) => i < 148 || i >= 156), fc.integer({ min: 1, max: 255 }), (at, delta) => {
        const bad = Uint8Array.from(good);
        bad[at] = ((bad[at] as number) + delta) % 256;
        expect(isTarHeader(bad)).toBe(false);
      }),
      { numRuns: 200 },
    );
    const broken = Uint8Array.from(good);
    broken[0] = (broken[0] as number) ^ 1;
    const file = bytes(good, broken, new Uint8Array(1024));
    expect(listTar((o, n) => file.subarray(o, o + n), file.length)).toEqual({ members: [expect.objectContaining({ name: 'a' })], end: 512 });
  });
});
