import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Alias, Document, isCollection, isMap, isScalar, isSeq, Pair, parseAllDocuments, Scalar, stringify, YAMLSeq, type Node as YamlNode, type ToStringOptions } from 'yaml';
import { loadText } from '../../src/core/load.js';
import { offsetAt, offsetAtPointer, readBlockYaml } from '../../src/core/load/blockYaml.js';
import { KUBERNETES_YAML_OPTIONS } from '../../src/core/load/yamlOptions.js';
import { nodeAtPointer, pointerTokens } from '../../src/core/pointer.js';
import { SHARED } from '../helpers/shared.js';

// The block reader is a fast path for the yaml package: whatever it reads must be what the yaml
// package reads (values, document numbering, the position of every node), and whatever it cannot
// read exactly it must refuse (undefined), so the file takes the yaml package's path.

/** Every path into a plain value, plus one missing child of each (a pointer stops at its deepest existing parent). */
function paths(value: unknown, base: string[] = []): string[][] {
  const out = [base, [...base, 'missing~child']];
  if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...base, key]));
  return out;
}

/** Pairs of paths that reach one and the same object (an alias and its anchor, under toJS). */
function sharing(value: unknown): Array<[string, string]> {
  const first = new Map<object, string>();
  const out: Array<[string, string]> = [];
  const walk = (node: unknown, path: string): void => {
    if (node === null || typeof node !== 'object') return;
    const seen = first.get(node);
    if (seen !== undefined) {
      out.push([path, seen]);
      return;
    }
    first.set(node, path);
    for (const [key, item] of Object.entries(node)) walk(item, `${path}/${key}`);
  };
  walk(value, '');
  return out;
}

type Verdict = 'read' | 'refused';

/**
 * 'read' when the block reader read the file and agrees with the yaml package on everything;
 * 'refused' when it declined the file or any document of it, since the loader then parses the
 * whole file with the yaml package (yamlDocuments.ts) and nothing the reader read is used. (Its
 * count of documents may then differ: it splits at `---` lines as kubectl does, where the yaml
 * package lets an unclosed quote run on past them.) Throws on any difference, and when it reads
 * a document the yaml package finds an error in.
 */
function compare(text: string): Verdict {
  const fast = readBlockYaml(text);
  if (!fast || fast.documents.some((d) => d.refused)) return 'refused';
  const documents = parseAllDocuments(text, KUBERNETES_YAML_OPTIONS);
  const list = Array.isArray(documents) ? documents : [];
  expect(fast.documents.length).toBe(list.length);
  let read = false;
  list.forEach((document, i) => {
    const got = fast.documents[i]!;
    expect(document.errors.map((e) => e.message)).toEqual([]);
    read = true;
    const value = document.toJS({ maxAliasCount: 100 }) as unknown;
    expect(got.value).toStrictEqual(value ?? null);
    // Aliases give the anchored object itself and merges copy, as toJS does: the same objects are shared.
    expect(sharing(got.value)).toEqual(sharing(value));
    if (!got.positions) return;
    expect(got.span[0]).toBe(document.contents?.range?.[0]);
    for (const path of paths(value)) expect([path, offsetAt(got.positions, path).offset]).toEqual([path, nodeAtPointer(document, document.contents!, path).offset]);
  });
  return read ? 'read' : 'refused';
}

/** The reader declines the text, or the one document of it. */
function refuses(text: string): boolean {
  const fast = readBlockYaml(text);
  return fast === undefined || (fast.documents.length === 1 && fast.documents[0]!.refused === true);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

describe('block YAML reader', () => {
  it('reads the real ML manifests and the examples exactly as the yaml package does, and most of them', () => {
    const files = [...yamlFiles(join(SHARED, 'corpus/ml-manifests')), ...yamlFiles('examples')];
    const verdicts = files.map((file) => compare(readFileSync(file, 'utf8')));
    const read = verdicts.filter((v) => v === 'read').length;
    expect(files.length).toBeGreaterThan(300);
    // Not a test that passes by refusing: nearly every real manifest is in the subset.
    expect(read / files.length).toBeGreaterThan(0.95);
  });

  it('agrees on generated manifests in every style the yaml package writes, or refuses them', () => {
    // Mostly what manifests hold, sometimes what the reader must refuse or resolve with care.
    const key = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom('name', 'image', 'on', 'yes', 'y', '1', '0x1F', 'a b', 'a:b', '-dash', 'a#b', "it's", 'q"uote', 'ünï', 'app.kubernetes.io/name') },
      { weight: 1, arbitrary: fc.constantFrom('key with: colon', '__proto__', '<<', '~', '? q', '- x') },
    );
    const scalar = fc.oneof(
      fc.constantFrom('nginx:1.25', 'ml-serving', 'true', '8080', 'http://x.example/a?b=c', 'ReadWriteOnce', 'a b c'),
      fc.constantFrom('yes', 'No', 'ON', 'off', 'y', 'n', '0755', '0o17', '0x1F', '0b101', '1_000', '1e3', '1.5', '.5', '+1', '-0', '.inf', '-.Inf', '.NaN', '~', 'null', 'NULL', '', ' lead', 'trail ', 'a: b', 'a #b', 'a#b', '#c', '- x', '--port=80', '-1', '@at', '`tick', '%pc', '&amp', '*star', '!bang', '|pipe', '>gt', '{b}', '[s]', 'x,y', "'q'", '"dq"', 'tab\there', 'multi\nline', 'multi\n\nline\n', 'trailing\n\n', '  indented\nnext', 'é\u00a0\u2028x', '\\back', '12:30:00', '2001-12-14', '3:25:45'),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(key, tie('node'), { maxKeys: 4 })),
    })).node;
    const manifest = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 });
    const style = fc.record({
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'),
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
      indentSeq: fc.boolean(),
      indent: fc.constantFrom(2, 4),
      collectionStyle: fc.constantFrom('any', 'block', 'flow'),
      lineWidth: fc.constantFrom(0, 20, 80),
      version: fc.constantFrom('1.1', '1.2'),
    });
    const dressing = fc.record({ comments: fc.boolean(), crlf: fc.boolean(), separator: fc.constantFrom('---\n', '--- # doc\n', '---\n\n'), leading: fc.constantFrom('', '---\n', '# head\n---\n') });
    let read = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 3 }), style, dressing, (docs, options, dress) => {
        runs++;
        let text = dress.leading + docs.map((d) => stringify(d, options as unknown as ToStringOptions)).join(dress.separator);
        // Comments after values and on lines of their own, where YAML allows them.
        if (dress.comments) text = text.replace(/\n/g, (_, at: number) => (at % 3 === 0 ? '  # note\n' : at % 5 === 0 ? '\n# own line\n' : '\n'));
        if (dress.crlf) text = text.replace(/\n/g, '\r\n');
                if (compare(text) === 'read') read++;
      }),
      { numRuns: 400 },
    );
    // The generator reaches the subset often enough for the agreement to mean something.
    expect(read).toBeGreaterThan(runs / 10);
  });

  it.each([
    ['an alias inside its anchored node', 'a: &x\n  k: [*x]\n'],
    ['an alias inside another anchored node', 'a: &x 1\nb: &y\n  k: *x\n'],
    ['an anchor inside an anchored node', 'a: &x\n  k: &y 1\n'],
    ['a merge inside an anchored node', 'a: &x {k: 1}\nb: &y\n  <<: *x\n'],
    ['an alias before its anchor', 'a: *x\nb: &x 1\n'],
    ['an anchor on a key', '&k a: 1\n'],
    ['an alias as a key', 'a: &x k\n*x : 1\n'],
    ['an anchor in a flow collection', 'a: [&x 1, *x]\n'],
    ['an anchored null', 'a: &x\nb: 1\n'],
    ['a merge of an inline mapping', 'm:\n  <<: {x: 1}\n'],
    ['a merge of a sequence', 'a: &s [1]\nm:\n  <<: *s\n'],
    ['a merge of a scalar', 'a: &s 1\nm:\n  <<: *s\n'],
    ['a merge key in a flow mapping', 'a: &x {k: 1}\nm: {<<: *x}\n'],
    ['a plain merge key in a flow mapping that the reader once read as a key', 'm: {<<: {x: 1}, y: 2}\n'],
    ['two merge keys in one mapping', 'a: &x {k: 1}\nm:\n  <<: *x\n  <<: *x\n'],
    ['an anchor name with characters outside the subset', 'a: &x/y 1\nb: *x/y\n'],
    ['an anchor aliased as often as the alias budget allows', `a: &x 1\n${Array.from({ length: 100 }, (_, i) => `b${i}: *x`).join('\n')}\n`],
    ['a billion laughs', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n'],
    ['tags', 'a: !!str 1\n'],
    ['directives', '%YAML 1.1\n---\na: 1\n'],
    ['document end markers', 'a: 1\n...\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a complex key', '? a\n: b\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a null key', '~: 1\n'],
    ['a tab', 'a:\t1\n'],
    ['a lone CR', 'a: 1\rb: 2\n'],
    ['a BOM', '\ufeffa: 1\n'],
    ['nesting deeper than the reader goes', `${Array.from({ length: 150 }, (_, i) => `${' '.repeat(i)}k:`).join('\n')} 1\n`],
    ['a flow collection over two lines', 'a: [1,\n  2]\n'],
    ['a trailing comma', 'a: [1, 2,]\n'],
    ['a document that is a sequence', '- a\n- b\n'],
    ['a document that is a scalar', 'hello\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a comment between a block scalar and the next key', 'a: |\n  x\n\n# c\nb: 1\n'],
    ['a folded scalar with more-indented lines', 'a: >\n  x\n    y\n  z\n'],
    ['a key longer than 1024 characters', `${'k'.repeat(1100)}: 1\n`],
    ['a plain value holding ": "', 'a: b: c\n'],
    ['a bad escape', 'a: "\\q"\n'],
  ])('refuses %s', (_, text) => {
    expect(refuses(text)).toBe(true);
  });

  it.each([
    ['block scalars and their chomping', 'a: |\n  x\n\n  y\nb: |-\n  x\nc: >\n  one\n  two\n\n  three\nd: >-\n  z\ne: |+\n  keep\nf: |\n\n  lead\n'],
    ['compact sequences and sequences of sequences', 'a:\n- x\n- - y\n  - z\n-\n- k: v\n  j: w\nb: 1\n'],
    ['quoted keys and escapes', '"a b": \'it\'\'s\'\n\'c\': "tab\\tnl\\nuni\\u00e9\\x41\\U0001F600"\n'],
    ['flow collections', 'a: [1, "two", {k: v, "q": [x, y]}]\nb: {}\nc: []\n'],
    ['YAML 1.1 scalars', 'a: yes\nb: off\nc: 0755\nd: 0x1F\ne: 1_000\nf: .inf\ng: ~\nh: 2001-12-14\ni: 12:30\n'],
    ['comments everywhere', '# head\na: 1 # after\n  # indented\nb:\n  # before\n  c: 2\n'],
    ['empty documents and separators', '---\n---\na: 1\n--- # c\n\n---\nb: 2\n---\n'],
    ['a CRLF file', 'a: 1\r\nb:\r\n  - x\r\n  - "y"\r\nc: |\r\n  one\r\n  two\r\n'],
    ['an indented document', '  a: 1\n  b:\n    c: 2\n'],
    ['anchored scalars and their aliases', 'a: &x 1\nb: *x\nc: &q "q" # c\nd: [*x, *q]\ne: &bs |\n  text\nf:\n- *bs\n- *x # c\n'],
    ['anchored block collections and their aliases', 'l: &l\n  app: x\n  tier: y\nt: &t y\ns: &s\n- 1\n- k: v\nm:\n  labels: *l\n  list:\n  - *s\n  - *l\n  - &i\n    z: 1\n  - *i\n'],
    ['anchored flow collections and their aliases', 'a: &a {k: [1, 2]}\nb: &b [x, {y: z}]\nc: {p: *a, q: [*b, *a]}\n'],
    ['an anchor redefined', 'a: &x 1\nb: *x\nc: &x 2\nd: *x\n'],
    ['merge keys, own keys before and after them winning', 'base: &b\n  x: 1\n  y: [1]\n  n: {k: v}\nover: &o {y: 2, z: 3}\nm:\n  x: 0\n  <<: [*o, *b]\n  z: 4\nn:\n  <<: *b # c\n'],
    ['an anchor aliased once less than the alias budget allows', `a: &x\n  k: 1\n${Array.from({ length: 99 }, (_, i) => `b${i}: *x`).join('\n')}\n`],
  ])('reads %s exactly', (_, text) => {
    expect(compare(text)).toBe('read');
  });

  it('reads a plain scalar as a string without trying the tags when its first character starts no other tag (the schema says so)', () => {
    const tags = new Document(null, KUBERNETES_YAML_OPTIONS).schema.tags.filter((tag) => tag.default === true && tag.test);
    const starts = new Set('~NnYyTtOoFfEe-+.0123456789');
    const rests = ['', '1', 'ull', 'ULL', 'es', 'ES', 'rue', 'alse', 'n', 'N', 'ff', '0', '.5', 'e3', 'x1F', 'b1', 'inf', 'nan', 'NaN', '_1', '12'];
    for (let code = 0x20; code < 0x250; code++) {
      const first = String.fromCharCode(code);
      if (starts.has(first)) continue;
      for (const rest of rests) expect([first + rest, tags.filter((tag) => tag.test!.test(first + rest)).map((tag) => tag.tag)]).toEqual([first + rest, []]);
    }
    // (`e3` is a float to the yaml package: NaN.)
    expect(compare('a: Name\nb: ünï\nc: no\nd: .5\ne: ~\nf: e3\nE1: Ex\n')).toBe('read');
  });

  it('finds a pointer in place as it finds its tokens (offsetAtPointer and offsetAt)', () => {
    const read = readBlockYaml('a:\n  b/c: 1\n  "~d": [x, {e: 2}]\n  "": 3\nl:\n- m: 1\n- - 2\n')!.documents[0]!.positions!;
    const token = fc.constantFrom('a', 'b', 'c', 'b~1c', '~0d', 'e', 'l', 'm', '0', '1', '2', '01', '', 'x');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 5 }), fc.boolean(), (tokens, trailing) => {
        const pointer = tokens.map((t) => `/${t}`).join('') + (trailing ? '/' : '');
        expect(offsetAtPointer(read, pointer)).toBe(offsetAt(read, pointerTokens(pointer)).offset);
      }),
      { numRuns: 500 },
    );
    expect(() => offsetAtPointer(read, 'a/b')).toThrow(/invalid JSON pointer/);
  });

  it('agrees on generated documents with anchors, aliases and merge keys, or refuses them', () => {
    const names = ['a', 'b1', 'x-y', 'n.m', 'u_'];
    const scalar = fc.oneof(fc.constantFrom('nginx', 'yes', '8080', 'a b', '', '~', 'x: y', '|p', '1.5'), fc.integer(), fc.boolean(), fc.constant(null));
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('name', 'image', 'k', 'on', '1', 'x', 'y', 'z'), tie('node'), { maxKeys: 4 })),
    })).node;
    const manifest = fc.dictionary(fc.constantFrom('apiVersion', 'kind', 'metadata', 'spec', 'data', 'a', 'b', 'c'), value, { minKeys: 2, maxKeys: 6 });
    // Each edit: anchor a node, replace a node by an alias (to a name, maybe one not yet or never anchored), or add a merge key to a mapping.
    const edit = fc.record({ kind: fc.constantFrom('anchor', 'anchor', 'anchor', 'alias', 'alias', 'merge', 'mergeList'), node: fc.nat(), target: fc.nat(), name: fc.constantFrom(...names), at: fc.nat() });
    const style = fc.record({ indentSeq: fc.boolean(), indent: fc.constantFrom(2, 4), collectionStyle: fc.constantFrom('any', 'block', 'any'), defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE') });
    let read = 0;
    let aliased = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(manifest, { minLength: 1, maxLength: 2 }), fc.array(edit, { minLength: 1, maxLength: 8 }), style, (docs, edits, options) => {
        const texts: string[] = [];
        for (const object of docs) {
          const document = new Document(object, { version: '1.1', merge: true });
          for (const e of edits) applyEdit(document, e);
          let text: string;
          try {
            text = document.toString(options as ToStringOptions);
          } catch {
            return; // an alias the yaml package will not write (before its anchor)
          }
          texts.push(text.replace(/MERGE_KEY/g, '<<'));
        }
        runs++;
        const text = texts.join('---\n');
        const verdict = compare(text);
        if (verdict === 'read') {
          read++;
          if (text.includes('*')) aliased++;
        }
      }),
      { numRuns: 400 },
    );
    // The generator reaches anchors, aliases and merges inside the subset often enough to mean something.
    // The generator reaches anchors and aliases inside the subset often enough to mean something
    // (about 10% of runs read an alias; merges, rarer here, have the next property to themselves).
    expect([read > runs / 5, aliased > runs / 20]).toEqual([true, true]);
  });

  it('agrees on merge keys: own keys before and after them, one source or several, overlapping keys, or refuses them', () => {
    const key = fc.constantFrom('name', 'image', 'k', 'on', '1', 'x');
    const leaf = fc.oneof(fc.constantFrom('nginx', 'yes', '', '8080'), fc.integer(), fc.constant(null));
    const inner = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(key, leaf, { maxKeys: 3 }));
    const map = fc.dictionary(key, inner, { maxKeys: 4 });
    const style = fc.record({ indentSeq: fc.boolean(), indent: fc.constantFrom(2, 4), collectionStyle: fc.constantFrom('any', 'block', 'any', 'flow') });
    let read = 0;
    fc.assert(
      fc.property(map, map, map, map, fc.constantFrom('one', 'two', 'both'), fc.boolean(), style, (base, other, ownBefore, ownAfter, form, item, options) => {
        const document = new Document({ base, other, m: {} }, { version: '1.1', merge: true });
        const [baseNode, otherNode, into] = (document.contents as unknown as { items: Pair[] }).items.map((p) => p.value as YamlNode & { items: Pair[] });
        baseNode!.anchor = 'b';
        otherNode!.anchor = 'o';
        const merge = form === 'one' ? new Alias('b') : Object.assign(new YAMLSeq(), { flow: true, items: form === 'two' ? [new Alias('o'), new Alias('b')] : [new Alias('b'), new Alias('o')] });
        const after = Object.fromEntries(Object.entries(ownAfter).filter(([k]) => !(k in ownBefore)));
        into!.items = [...(document.createNode(ownBefore) as unknown as { items: Pair[] }).items, new Pair(new Scalar('MERGE_KEY'), merge), ...(document.createNode(after) as unknown as { items: Pair[] }).items];
        if (item) (document.contents as unknown as { items: Pair[] }).items[2]!.value = Object.assign(new YAMLSeq(), { items: [into] });
        const text = document.toString(options as ToStringOptions).replace(/MERGE_KEY/g, '<<');
        if (compare(text) === 'read') read++;
      }),
      { numRuns: 300 },
    );
    // Flow mappings with a merge key, and empty ones, are refused; the rest must be read.
    expect(read).toBeGreaterThan(75);
  });

  it('leaves an alias bomb, and a document past a lower alias budget, to the yaml package, reported as before', () => {
    const bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n';
    const flat = (uses: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flat\n  labels: &l {app: x}\ndata:\n${Array.from({ length: uses }, (_, i) => `  k${i}: *l`).join('\n')}\n`;
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ok\n';
    for (const [text, maxAliasCount] of [[`${bomb}---\n${pod}`, undefined], [`${flat(99)}---\n${pod}`, undefined], [`${flat(100)}---\n${pod}`, undefined], [`${flat(4)}---\n${pod}`, 5], [`${flat(5)}---\n${pod}`, 5], [`${flat(1)}---\n${pod}`, 0], [`${flat(150)}---\n${pod}`, -1]] as const) {
      const fast = loadText('f.yaml', text, { maxAliasCount });
      const slow = loadText('f.yaml', text, { maxAliasCount, blockFastPath: false });
      expect(fast.errors.map((e) => [e.code, e.location])).toEqual(slow.errors.map((e) => [e.code, e.location]));
      expect(fast.resources.map((r) => [r.ref.name, r.object])).toStrictEqual(slow.resources.map((r) => [r.ref.name, r.object]));
    }
    // And which of them the reader itself takes: under the budget only, never a nested alias.
    expect([bomb, flat(99), flat(100)].map((t) => readBlockYaml(t)?.documents[0]?.refused ?? false)).toEqual([true, false, true]);
    expect([readBlockYaml(flat(4), 5)?.documents[0]?.refused ?? false, readBlockYaml(flat(5), 5)?.documents[0]?.refused ?? false, readBlockYaml(flat(150), -1)?.documents[0]?.refused ?? false]).toEqual([false, true, false]);
    expect(loadText('f.yaml', `${flat(100)}---\n${pod}`).errors.map((e) => [e.code, e.location?.line])).toEqual([['LOAD_ALIAS_BOMB', 1]]);
  });

  it('gives audit the same resources, errors and locations with and without the fast path', () => {
    const files = [...yamlFiles(join(SHARED, 'corpus/ml-manifests')).slice(0, 120), ...yamlFiles('examples')];
    for (const file of files) expectSameLoad(file, readFileSync(file, 'utf8'));
  });

  it('leaves a file with a document it refuses to the yaml package, in any order of documents', () => {
    const pool = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a # comment\nspec:\n  ports:\n  - port: 80\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: anchored\nspec:\n  selector:\n    matchLabels: &l\n      app: x\n  template:\n    metadata:\n      labels: *l\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: multi\ndata:\n  k: one\n    two\n  j: "a\n    b"\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dup\ndata:\n  k: 1\n  k: 2\n',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n- &i\n  kind: Secret\n  apiVersion: v1\n  metadata:\n    name: c\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: broken\nspec: [unclosed\n',
      'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\napiVersion: v1\nkind: ConfigMap\n',
      '- just\n- a list\n',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength: 6 }), fc.boolean(), (chosen, crlf) => {
        let text = chosen.join('---\n');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        expectSameLoad('generated.yaml', text);
      }),
      { numRuns: 150 },
    );
  });
});

/** Value nodes of a document in text order, each with its parent, its place there and the index after its subtree. */
function valueNodes(document: Document): Array<{ node: YamlNode; parent: YamlNode | null; at: number; end: number }> {
  const out: Array<{ node: YamlNode; parent: YamlNode | null; at: number; end: number }> = [];
  const walk = (node: unknown, parent: YamlNode | null, at: number): void => {
    if (!isScalar(node) && !isCollection(node)) return;
    const entry = { node: node as YamlNode, parent, at, end: 0 };
    out.push(entry);
    if (isMap(node)) node.items.forEach((pair, i) => walk(pair.value, node, i));
    if (isSeq(node)) node.items.forEach((item, i) => walk(item, node, i));
    entry.end = out.length;
  };
  walk(document.contents, null, 0);
  return out;
}

/**
 * One random edit of a generated document: an anchor, an alias replacing a node (mostly naming an
 * anchor before it, sometimes any name), or a merge key (written `MERGE_KEY`, made `<<` in the text).
 */
function applyEdit(document: Document, e: { kind: string; node: number; target: number; name: string; at: number }): void {
  const nodes = valueNodes(document);
  const index = 1 + (e.node % Math.max(1, nodes.length - 1));
  const chosen = nodes[index];
  if (!chosen) return;
  const before = nodes.filter((n, i) => i > 0 && n.end <= index && n.node.anchor !== undefined);
  // (An alias to no anchor before it: the yaml package will not write it.)
  const name = (k: number) => before[k % before.length]!.node.anchor!;
  if (e.kind === 'anchor') {
    chosen.node.anchor = e.name;
    return;
  }
  if (e.kind === 'alias') {
    if (before.length === 0) return;
    const { parent, at } = chosen;
    if (isMap(parent)) parent.items[at]!.value = new Alias(name(e.target));
    else if (isSeq(parent)) parent.items[at] = new Alias(name(e.target));
    return;
  }
  // A merge: into a mapping, from anchored mappings before it (mostly).
  const maps = nodes.map((n, i) => ({ ...n, i })).filter((n) => isMap(n.node));
  const into = maps[e.node % maps.length]!;
  const sources = nodes.filter((n, i) => i > 0 && n.end <= into.i && isMap(n.node) && n.node.anchor !== undefined);
  if (sources.length === 0) return;
  const source = (k: number) => sources[k % sources.length]!.node.anchor!;
  const value = e.kind === 'merge' ? new Alias(source(e.target)) : Object.assign(new YAMLSeq(), { flow: true, items: [new Alias(source(e.target)), new Alias(source(e.target + 1))] });
  (into.node as unknown as { items: Pair[] }).items.splice(e.at % ((into.node as unknown as { items: Pair[] }).items.length + 1), 0, new Pair(new Scalar('MERGE_KEY'), value));
}

/** The loader gives the same resources, errors and locations with the block fast path as with the yaml package alone. */
function expectSameLoad(file: string, text: string): void {
  const fast = loadText(file, text);
  const slow = loadText(file, text, { blockFastPath: false });
  expect(fast.errors.map((e) => [e.code, e.message, e.location])).toEqual(slow.errors.map((e) => [e.code, e.message, e.location]));
  expect(fast.skipped).toBe(slow.skipped);
  expect(fast.resources.map((r) => [r.ref, r.indexInFile, r.documentIndex, r.documentPointer, r.object])).toStrictEqual(slow.resources.map((r) => [r.ref, r.indexInFile, r.documentIndex, r.documentPointer, r.object]));
  fast.resources.forEach((resource, i) => {
    for (const path of paths(resource.object)) {
      const pointer = path.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
      expect([file, pointer, resource.locate(pointer)]).toEqual([file, pointer, slow.resources[i]!.locate(pointer)]);
    }
  });
}
