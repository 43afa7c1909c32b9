import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batched } from '../../src/cli/output.js';
import { json, prettyJsonChunks } from '../../src/report/json.js';

describe('the JSON report in pieces', () => {
  it('joins to JSON.stringify(value, null, 2), byte for byte, for any JSON value (undefined members dropped, as there)', () => {
    const withHoles = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('object'), tie('array')),
      object: fc.dictionary(fc.string(), fc.oneof(tie('value'), fc.constant(undefined))),
      array: fc.array(tie('value'), { maxLength: 5 }),
    }));
    fc.assert(
      fc.property(withHoles.value, (value) => {
        expect([...prettyJsonChunks(value)].join('')).toBe(JSON.stringify(value, null, 2));
        // Items are stringified in batches: any batch size gives the same bytes.
        for (const batch of [1, 2, 3]) expect([...prettyJsonChunks(value, '', 0, batch)].join('')).toBe(JSON.stringify(value, null, 2));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the findings of a report in pieces of a few hundred, and batches pieces without changing the text', () => {
    const report = { tool: { name: 'palisade', version: '0' }, inputs: ['a.yaml'], summary: { total: 2 }, findings: [{ checkId: 'A', message: 'line\nbreak "quoted"', location: { file: 'a.yaml', line: 1, column: 1 } }, { checkId: 'B', empty: {}, list: [] }] };
    const pieces = [...json.chunks!(report as never, { color: false })];
    const expected = JSON.stringify(report, null, 2);
    expect(pieces.join('')).toBe(expected);
    const indented = (f: unknown): string => `    ${JSON.stringify(f, null, 2).replaceAll('\n', '\n    ')}`;
    expect(pieces).toContain(`${indented(report.findings[0])},\n${indented(report.findings[1])}`);
    // 1,000 findings: four pieces of 256, 256, 256 and 232, never the whole list as one string.
    const many = { ...report, findings: Array.from({ length: 1000 }, (_, i) => ({ checkId: 'C', message: `m${i}`, path: i % 3 === 0 ? undefined : `/spec/${i}` })) };
    const manyPieces = [...json.chunks!(many as never, { color: false })];
    expect(manyPieces.join('')).toBe(JSON.stringify(many, null, 2));
    expect(manyPieces.filter((p) => p.startsWith('    {')).map((p) => p.split('\n    {').length)).toEqual([256, 256, 256, 232]);
    expect([...batched(pieces, 10)].join('')).toBe(expected);
    expect([...batched(pieces, 10)].length).toBeGreaterThan(1);
    expect(json(report as never, { color: false })).toBe(expected);
  });
});
