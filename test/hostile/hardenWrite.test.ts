import { chmodSync, linkSync, lstatSync, mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spliceBytes, writeHardened } from '../../src/cli/hardenWrite.js';
import { hardenText } from '../../src/harden/index.js';

const pod = (name: string, eol = '\n', comment = 'a comment'): string =>
  [`# ${comment}`, 'apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, 'spec:', '  containers:', '  - name: app', '    image: nginx', ''].join(eol);

/** Bytes that are not valid UTF-8, in the forms the WHATWG decoder treats differently. */
const invalidBytes = fc.constantFrom([0xff], [0xc0, 0xaf], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0x80], [0xc3]);

const tempDir = (): string => mkdtempSync(join(tmpdir(), 'palisade-harden-write-'));

describe('harden --write edits bytes', () => {
  it('keeps invalid UTF-8 in comments and gives each document its own line ends (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ crlf: fc.boolean(), bad: fc.array(invalidBytes, { maxLength: 3 }), text: fc.string({ maxLength: 8 }).filter((t) => !/[\r\n\u2028\u2029\uFEFF]/.test(t)) }), { minLength: 1, maxLength: 4 }), async (docs) => {
        const dir = tempDir();
        const parts: Buffer[] = [];
        docs.forEach((d, i) => {
          const eol = d.crlf ? '\r\n' : '\n';
          if (i > 0) parts.push(Buffer.from(`---${eol}`));
          parts.push(Buffer.from(`# c ${d.text}`), Buffer.from(d.bad.flat()), Buffer.from(eol), Buffer.from(pod(`p${i}`, eol, 'x').split(eol).slice(1).join(eol)));
        });
        const bytes = Buffer.concat(parts);
        const path = join(dir, 'pods.yaml');
        writeFileSync(path, bytes);
        const original = bytes.toString('utf8');
        const hardened = hardenText(path, original);
        expect(hardened.splices.length).toBeGreaterThan(0);
        const outcome = await writeHardened({ path, root: path, original, splices: hardened.splices });
        expect(outcome.error).toBeUndefined();
        const after = readFileSync(path);
        // decoding the written bytes gives the hardened text: only the edits changed
        expect(after.toString('utf8')).toBe(hardened.text);
        // every invalid sequence is still there, byte for byte
        for (const d of docs) for (const seq of d.bad) expect(after.includes(Buffer.from([...Buffer.from(`# c ${d.text}`).subarray(-1), ...seq]).subarray(1))).toBe(true);
        // documents keep their line ends: an LF document gains no CR, a CRLF one no bare LF
        const documents = after.toString('latin1').split(/^---\r?\n/m);
        documents.forEach((text, i) => {
          if (docs[i]!.crlf) expect(/[^\r]\n/.test(text)).toBe(false);
          else expect(text.includes('\r')).toBe(false);
        });
      }),
      { numRuns: 25 },
    );
  });

  it('maps splices onto bytes exactly as the decoder reads them (property against a naive oracle)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(), fc.string({ maxLength: 4 }), (raw, at, insert) => {
        const bytes = Buffer.from(raw);
        const text = bytes.toString('utf8');
        // an insertion point between code points: oracle = decode(prefix bytes) ...; find one by trying byte cuts
        const cuts: [number, number][] = [];
        for (let b = 0; b <= bytes.length; b++) {
          const prefix = bytes.subarray(0, b).toString('utf8');
          if (text.startsWith(prefix) && bytes.subarray(b).toString('utf8') === text.slice(prefix.length)) cuts.push([prefix.length, b]);
        }
        const [unit, byte] = cuts[at % cuts.length]!;
        const out = spliceBytes(bytes, text, [{ start: unit, end: unit, text: insert }]);
        expect(out).toBeDefined();
        expect(out!.equals(Buffer.concat([bytes.subarray(0, byte), Buffer.from(insert), bytes.subarray(byte)]))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('edits the target of a symbolic link it was named by, refuses one that leaves the walked tree, keeps hard links, refuses read-only files', async () => {
    const dir = tempDir();
    const outside = tempDir();
    mkdirSync(join(dir, 'tree'));
    writeFileSync(join(outside, 'real.yaml'), pod('real'));
    symlinkSync(join(outside, 'real.yaml'), join(dir, 'link.yaml'));
    symlinkSync(join(outside, 'real.yaml'), join(dir, 'tree', 'escape.yaml'));
    const original = pod('real');
    const { splices, text } = hardenText('x', original);

    const named = await writeHardened({ path: join(dir, 'link.yaml'), root: join(dir, 'link.yaml'), original, splices });
    expect(named.error).toBeUndefined();
    expect(named.written).toBe(join(outside, 'real.yaml'));
    expect(lstatSync(join(dir, 'link.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(outside, 'real.yaml'), 'utf8')).toBe(text);

    writeFileSync(join(outside, 'real.yaml'), original);
    const escaped = await writeHardened({ path: join(dir, 'tree', 'escape.yaml'), root: join(dir, 'tree'), original, splices });
    expect(escaped.error?.code).toBe('HARDEN_LINK_OUTSIDE');
    expect(readFileSync(join(outside, 'real.yaml'), 'utf8')).toBe(original);

    writeFileSync(join(dir, 'a.yaml'), original);
    linkSync(join(dir, 'a.yaml'), join(dir, 'b.yaml'));
    const linked = await writeHardened({ path: join(dir, 'a.yaml'), root: dir, original, splices });
    expect(linked.error).toBeUndefined();
    expect(readFileSync(join(dir, 'b.yaml'), 'utf8')).toBe(text);
    expect(lstatSync(join(dir, 'a.yaml')).ino).toBe(lstatSync(join(dir, 'b.yaml')).ino);

    writeFileSync(join(dir, 'ro.yaml'), original);
    chmodSync(join(dir, 'ro.yaml'), 0o444);
    const readOnly = await writeHardened({ path: join(dir, 'ro.yaml'), root: dir, original, splices });
    expect(readOnly.error?.code).toBe('HARDEN_READ_ONLY');
    expect(readFileSync(join(dir, 'ro.yaml'), 'utf8')).toBe(original);
    expect(lstatSync(join(dir, 'ro.yaml')).mode & 0o777).toBe(0o444);
  });
});
