import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { indentQuotedContinuations } from '../../src/core/load/quotedIndent.js';

/**
 * go-yaml (what kubectl and the API server read manifests with: sigs.k8s.io/yaml → go-yaml v2, v3
 * alike) scans a quoted scalar to its closing quote whatever the indentation of its continuation
 * lines (scannerc.go yaml_parser_scan_flow_scalar refuses only a `---`/`...` marker at column 0 and
 * the end of the stream), and line folding (YAML 1.2 §7.3.1, §6.5) drops each continuation line's
 * leading white space. So the value is the one the same text has with the lines indented properly.
 */
const values = (text: string): unknown => {
  const result = loadText('t.yaml', text);
  expect(result.errors.map((e) => e.code)).toEqual([]);
  return result.resources.map((r) => r.object);
};

describe('quoted scalars with under-indented continuation lines, read as go-yaml reads them', () => {
  it.each([
    ['a sequence item', 'kind: X\napiVersion: v1\nargs:\n  - "--foo bar\n baz"\n', ['--foo bar baz']],
    ['a nested sequence item at column 0', 'kind: X\napiVersion: v1\nargs:\n- - "x\ny"\n', [['x y']]],
    ['a single-quoted item with an escaped quote', "kind: X\napiVersion: v1\nargs:\n    - 'it''s\n  here'\n", ["it's here"]],
    ['a double-quoted item with an escaped quote and an escaped line break', 'kind: X\napiVersion: v1\nargs:\n    - "say \\"hi\\" \\\n  there"\n', ['say "hi" there']],
    ['an empty line folds to a line break', 'kind: X\napiVersion: v1\nargs:\n    - "one\n\n  two"\n', ['one\ntwo']],
  ])('%s', (_, text, args) => {
    expect(values(text)).toEqual([{ kind: 'X', apiVersion: 'v1', args }]);
  });

  it('reads a mapping value at the top level whose continuation starts at column 0', () => {
    expect(values('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  msg: "hello\nworld"\n')).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { msg: 'hello world' } }]);
  });

  it('keeps lines where they are: a later document is located on its own line', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: a\n    image: busybox\n    args:\n    - "--foo bar\n  baz"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n';
    const result = loadText('t.yaml', text);
    expect(result.errors).toEqual([]);
    expect((result.resources[0]!.object as { spec: { containers: Array<{ args: string[] }> } }).spec.containers[0]!.args).toEqual(['--foo bar baz']);
    expect(result.resources[1]!.locate('/metadata/name')).toEqual({ file: 't.yaml', line: 14, column: 12 });
    expect(result.resources[0]!.locate('/spec/containers/0/image')).toEqual({ file: 't.yaml', line: 7, column: 5 });
  });

  it('leaves what is not a quoted scalar alone: block scalars, comments, apostrophes in plain scalars', () => {
    expect(indentQuotedContinuations('a: |\n  "not a quote\nb: it\'s\n# "comment\nc: "ok"\n')).toBeUndefined();
    expect(indentQuotedContinuations('- key: >-\n    "x\n  other: y\n')).toBeUndefined();
  });

  it('keeps the syntax error of a scalar go-yaml refuses too (a document marker inside it) and still reads the other documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {x: "open\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n';
    const result = loadText('t.yaml', text);
    expect(result.errors.map((e) => [e.code, e.location?.line])).toEqual([['LOAD_YAML_SYNTAX', 5]]);
    expect(result.resources.map((r) => r.ref.name)).toEqual(['b']);
  });

  it('property: any under-indentation reads as the properly indented text does (folding drops leading white space)', () => {
    const word = fc.stringMatching(/^[a-z0-9=.-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 5 }), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 5, maxLength: 5 }), fc.constantFrom('"', "'"), (words, indents, quote) => {
        const proper = `kind: X\napiVersion: v1\nspec:\n  args:\n    - ${quote}${words[0]}\n${words.slice(1).map((w) => `      ${w}`).join('\n')}${quote}\n`;
        const bad = `kind: X\napiVersion: v1\nspec:\n  args:\n    - ${quote}${words[0]}\n${words.slice(1).map((w, i) => `${' '.repeat(indents[i]!)}${w}`).join('\n')}${quote}\n`;
        expect(values(bad)).toEqual([parse(proper)]);
      }),
      { numRuns: 60 },
    );
  });
});
