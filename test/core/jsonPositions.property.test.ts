import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, type Document, type Node as YamlNode } from 'yaml';
import { loadText } from '../../src/core/load.js';
import { joinPointer, nodeAtPointer, pointerTokens } from '../../src/core/pointer.js';
import { KUBERNETES_YAML_OPTIONS } from '../../src/core/load/yamlOptions.js';

/**
 * JSON read by the fast path is located by scanning the text (jsonPositions.ts). The oracle is the
 * YAML reader's own locate over a parse of the same text: every pointer, existing or not, must land
 * on the same line and column.
 */
describe('locating in JSON without a YAML tree', () => {
  // Keys with characters JSON escapes and the pointer escapes (~ and /), and look-alikes of indices.
  const key = fc.oneof(fc.constantFrom('a', 'b', 'name', 'x/y', 'm~n', '0', '10', 'q"t', 'back\\slash', 'é', '\u2028'), fc.string({ maxLength: 3 }));
  const leaf = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.string({ maxLength: 6 }), fc.constantFrom('"', '\\', '}', ']', ',', '{"a":1}'));
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('object'), tie('array')),
    object: fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
    array: fc.array(tie('tree'), { maxLength: 4 }),
  }));
  const object = fc.dictionary(key, tree, { minKeys: 1, maxKeys: 5 });
  const indent = fc.constantFrom(0, 1, 2, '\t');

  /** Every pointer into the value, and for each a child that does not exist. */
  function pointersOf(value: unknown, prefix: string[] = []): string[][] {
    const out = [prefix, [...prefix, 'missing'], [...prefix, '99']];
    if (Array.isArray(value)) value.forEach((v, i) => out.push(...pointersOf(v, [...prefix, String(i)])));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...pointersOf(v, [...prefix, k]));
    return out;
  }

  /** The YAML reader's locate over one parse of `text`. */
  function oracle(text: string): (documentPointer: string, pointer: string) => { line: number; column: number } {
    const lineCounter = new LineCounter();
    const document = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, lineCounter })[0] as Document;
    const root = document.contents as YamlNode;
    return (documentPointer, pointer) => {
      const { offset } = nodeAtPointer(document, root, [...pointerTokens(documentPointer), ...pointerTokens(pointer)]);
      const { line, col } = lineCounter.linePos(offset);
      return { line, column: col };
    };
  }

  it('a document: every pointer lands where the YAML reader lands', () => {
    fc.assert(
      fc.property(object, indent, fc.constantFrom('', '\n', '  \n'), (body, space, lead) => {
        const value = { apiVersion: 'v1', kind: 'ConfigMap', ...body };
        const text = lead + JSON.stringify(value, null, space);
        const [resource] = loadText('in.json', text).resources;
        expect(resource?.parsedTree).toBeUndefined();
        const yaml = oracle(text);
        for (const tokens of pointersOf(value)) {
          const pointer = joinPointer("", ...tokens);
          const { line, column } = resource!.locate(pointer);
          expect({ pointer, line, column }).toEqual({ pointer, ...yaml('', pointer) });
        }
        // Located without building the YAML tree.
        expect(resource?.parsedTree).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('a List: every item and every pointer in it lands where the YAML reader lands', () => {
    fc.assert(
      fc.property(fc.array(object, { minLength: 1, maxLength: 4 }), indent, (bodies, space) => {
        const items = bodies.map((b, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', ...b, metadata: { name: `c${i}` } }));
        const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, space);
        const resources = loadText('in.json', text).resources;
        expect(resources.length).toBe(items.length);
        const yaml = oracle(text);
        resources.forEach((resource, i) => {
          for (const tokens of pointersOf(items[i])) {
            const pointer = joinPointer("", ...tokens);
            const { line, column } = resource.locate(pointer);
            expect({ i, pointer, line, column }).toEqual({ i, pointer, ...yaml(`/items/${i}`, pointer) });
          }
        });
      }),
      { numRuns: 100 },
    );
  });

  it('the last of duplicate keys is the one located, as JSON.parse reads it', () => {
    const text = '{"apiVersion": "v1", "kind": "ConfigMap",\n "data": {"a": 1},\n "data": {"b": 2, "b": 3}}';
    const [resource] = loadText('in.json', text).resources;
    expect(resource?.object.data).toEqual({ b: 3 });
    expect(resource?.locate('/data')).toEqual({ file: 'in.json', line: 3, column: 2 });
    expect(resource?.locate('/data/b')).toEqual({ file: 'in.json', line: 3, column: 19 });
    expect(resource?.locate('/data/a')).toEqual({ file: 'in.json', line: 3, column: 2 });
  });

  it('documents between --- lines and concatenated objects are located in their own spans', () => {
    const text = '{"apiVersion": "v1", "kind": "A", "x": 1}\n---\n{"apiVersion": "v1",\n "kind": "B", "x": 2}\n';
    const [a, b] = loadText('in.json', text).resources;
    expect([a?.locate('/x'), b?.locate('/x'), b?.locate('/kind')]).toEqual([
      { file: 'in.json', line: 1, column: 35 },
      { file: 'in.json', line: 4, column: 15 },
      { file: 'in.json', line: 4, column: 2 },
    ]);
    const lines = '{"apiVersion": "v1", "kind": "A", "x": 1}\n{"apiVersion": "v1", "kind": "B",\n "x": 2}';
    const [c, d] = loadText('in.json', lines).resources;
    expect([c?.locate('/x'), d?.locate('/x')]).toEqual([
      { file: 'in.json', line: 1, column: 35 },
      { file: 'in.json', line: 3, column: 2 },
    ]);
  });
});
