import { lstatSync, mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { load, loadText } from '../../src/core/load.js';

const pod = (name: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\nspec:\n  containers:\n  - name: app\n    image: nginx\n`;

/** A Pod whose container carries `x` nested `depth` levels deep, as JSON, with the offset of the first bracket past `limit`. */
function deepJsonPod(name: string, depth: number, opens: string): { text: string } {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    const c = opens[i % opens.length] as string;
    open += c === '{' ? '{"k":' : '[';
    close = (c === '{' ? '}' : ']') + close;
  }
  return { text: `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"${name}"},"spec":{"containers":[{"name":"c","image":"i","x":${open}1${close}}]}}` };
}

describe('hostile nesting', () => {
  it('refuses a too-deep document with its position and keeps every other document (property, JSON and YAML)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12_000 }), fc.stringMatching(/^[[{]{1,4}$/), fc.integer({ min: 0, max: 2 }), fc.boolean(), fc.boolean(), (rawDepth, opens, position, json, fast) => {
        // the YAML reader is slow on deep flow collections: variants beyond 1,500 levels go to the fast path only
        const depth = json && fast ? rawDepth : rawDepth % 1500;
        const deep = deepJsonPod('deep', depth, opens).text;
        const docs = [pod('a'), pod('b')];
        docs.splice(position, 0, json ? deep : `# yaml\n${deep}`);
        const text = docs.map((d) => d.trimEnd()).join('\n---\n') + '\n';
        const result = loadText('f.yaml', text, { jsonFastPath: fast, maxDepth: 512 });
        // the object sits 5 levels down (root, spec, containers, item, x) before `depth` more
        const tooDeep = depth + 4 > 512;
        expect(result.resources.map((r) => r.ref.name).sort()).toEqual(tooDeep ? ['a', 'b'] : ['a', 'b', 'deep']);
        const errors = result.errors.map((e) => e.code);
        expect(errors).toEqual(tooDeep ? ['LOAD_TOO_DEEP'] : []);
        if (tooDeep) {
          const location = result.errors[0]!.location!;
          const line = text.split('\n').findIndex((l) => l.includes('"deep"')) + 1;
          expect(location.file).toBe('f.yaml');
          // JSON read by the fast path points at the first bracket past the limit; the YAML reader at the document or the deep node
          expect(location.line).toBe(line);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('survives a deep YAML document first in its file (a second deep parse once crashed V8 outside any catch)', () => {
    for (const opens of ['[', '[{']) {
      const text = [`# yaml\n${deepJsonPod('deep', 1000, opens).text}`, pod('a'), pod('b')].map((d) => d.trimEnd()).join('\n---\n') + '\n';
      const result = loadText('f.yaml', text);
      expect([result.resources.map((r) => r.ref.name), result.errors.map((e) => [e.code, e.location?.line])]).toEqual([['a', 'b'], [['LOAD_TOO_DEEP', 2]]]);
    }
  });

  it('honours a configured limit exactly', () => {
    const at = (depth: number): string[] => loadText('f.json', deepJsonPod('p', depth, '[').text, { maxDepth: 10 }).errors.map((e) => e.code);
    expect(at(6)).toEqual([]); // 4 levels of Pod structure + 6 = 10
    expect(at(7)).toEqual(['LOAD_TOO_DEEP']);
    const error = loadText('f.json', deepJsonPod('p', 7, '[').text, { maxDepth: 10 }).errors[0]!;
    const text = deepJsonPod('p', 7, '[').text;
    // column of the 7th '[' after "x": (the 11th level)
    expect(error.location).toEqual({ file: 'f.json', line: 1, column: text.indexOf('"x":') + 4 + 6 + 1 });
  });
});

describe('hostile files', () => {
  it('follows symbolic links to files and says so, reports dangling and directory links, never hangs on a FIFO', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-links-'));
    const outside = mkdtempSync(join(tmpdir(), 'palisade-outside-'));
    writeFileSync(join(outside, 'target.yaml'), pod('linked'));
    mkdirSync(join(dir, 'm'));
    writeFileSync(join(dir, 'm', 'a.yaml'), pod('plain'));
    symlinkSync(join(outside, 'target.yaml'), join(dir, 'm', 'b.yaml'));
    symlinkSync(join(outside, 'missing.yaml'), join(dir, 'm', 'c.yaml'));
    symlinkSync(outside, join(dir, 'm', 'd.yaml'));
    execFileSync('mkfifo', [join(dir, 'm', 'e.yaml')]);
    expect(lstatSync(join(dir, 'm', 'e.yaml')).isFIFO()).toBe(true);
    const result = await load([join(dir, 'm'), join(dir, 'm', 'e.yaml')]);
    expect(result.resources.map((r) => [r.ref.name, r.file])).toEqual([
      ['plain', join(dir, 'm', 'a.yaml')],
      ['linked', join(dir, 'm', 'b.yaml')],
    ]);
    expect(result.errors.map((e) => [e.code, e.errorClass, e.location?.file])).toEqual([
      ['LOAD_SYMLINK', 'warning', join(dir, 'm', 'b.yaml')],
      ['LOAD_SYMLINK', 'warning', join(dir, 'm', 'c.yaml')],
      ['LOAD_SYMLINK', 'warning', join(dir, 'm', 'd.yaml')],
      ['LOAD_NOT_REGULAR', 'severe', join(dir, 'm', 'e.yaml')],
      ['LOAD_NOT_REGULAR', 'severe', join(dir, 'm', 'e.yaml')],
    ]);
    expect(result.errors[3]!.message).toContain('a FIFO');
  });
});
