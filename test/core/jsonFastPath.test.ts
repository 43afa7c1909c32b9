import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText, parseJsonDocuments, type LoadResult } from '../../src/core/load.js';
import { hardenText } from '../../src/harden/index.js';

/** What a caller can observe of a load: objects, their numbering, their locations, errors. */
function observe(result: LoadResult): unknown {
  return {
    resources: result.resources.map((r) => ({
      object: r.object,
      ref: r.ref,
      indexInFile: r.indexInFile,
      documentIndex: r.documentIndex,
      documentPointer: r.documentPointer,
      root: r.locate(''),
      name: r.locate('/metadata/name'),
      image: r.locate('/spec/containers/0/image'),
      missing: r.locate('/spec/containers/0/securityContext/privileged'),
    })),
    errors: result.errors.map((e) => [e.code, e.location]),
    skipped: result.skipped,
  };
}

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
const pod = fc.record({ name, image: fc.constantFrom('nginx', 'x:1', 'a/b@sha256:00') }).map(({ name, image }) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image }] } }));
const notKubernetes = fc.constant({ a: 1, b: [true, null, 'yes'] });
const list = fc.array(fc.oneof(pod, fc.constant(7), pod.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)), { maxLength: 3 }).map((items) => ({ apiVersion: 'v1', kind: 'List', items }));
const podList = fc.array(pod.map(({ apiVersion: _a, kind: _k, ...rest }) => rest), { maxLength: 2 }).map((items) => ({ apiVersion: 'v1', kind: 'PodList', items }));
const document = fc.oneof(
  fc.tuple(fc.oneof(pod, list, podList, notKubernetes), fc.constantFrom(undefined, 1, 2)).map(([value, indent]) => JSON.stringify(value, null, indent)),
  fc.constantFrom('', '\n', '  \n', '\t', ' \t\n'),
);
// A lone CR ends a line for JavaScript's /m but not for YAML: the fast path must step aside.
const marker = fc.constantFrom('---\n', '--- \n', '---\t\n', '---\r\n', '---\r', '\r---\n');

const stream = fc
  .tuple(fc.constantFrom('', '\ufeff', '\n', '---\n', '\n---\n'), fc.array(fc.tuple(document, marker), { minLength: 1, maxLength: 5 }), fc.constantFrom('', '\n', '\r\n'))
  .map(([head, parts, tail]) => head + parts.map(([doc, sep], i) => (i === parts.length - 1 ? doc : `${doc}\n${sep}`)).join('') + tail);

describe('the JSON fast path', () => {
  it('gives what the YAML reader gives: the same objects, numbering, locations and errors', () => {
    fc.assert(
      fc.property(stream, (text) => {
        expect(observe(loadText('s.json', text))).toEqual(observe(loadText('s.json', text, { jsonFastPath: false })));
      }),
      { numRuns: 300 },
    );
  });

  it('is taken for JSON streams and refused for anything YAML reads differently', () => {
    expect(parseJsonDocuments('{"a":1}\n---\n{"b":2}')?.values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseJsonDocuments('\n---\n\n---\n{"a":1}\n---\n')?.values).toEqual([null, { a: 1 }, null]);
    // A comment, a document end marker, a marker carrying content, a flow mapping that is not JSON,
    // a scalar document: the YAML path reads (or reports) them.
    for (const text of ['# c\n{"a":1}', '{"a":1}\n...\n', '{"a":1}\n--- {"b":2}', '{a: 1}', '{"a":1}\n---\n7', '{"a":1}\n----\n', '{"a":1}\r---\r{"b":2}', '{"a":1}\n---\n\t']) {
      expect(parseJsonDocuments(text)).toBeUndefined();
    }
  });
});

describe('JSON objects one after another (JSON Lines, `jq -c`), as kubectl reads them', () => {
  const spacing = fc.constantFrom('\n', '\n\n', ' \n', '\r\n');
  const lineStream = fc.array(fc.tuple(fc.oneof(pod, list), fc.constantFrom(undefined, 2), spacing), { minLength: 2, maxLength: 4 });

  it('reads each object where it stands: the locations are those of the object alone, moved down to its line', () => {
    fc.assert(
      fc.property(lineStream, (parts) => {
        const texts = parts.map(([value, indent]) => JSON.stringify(value, null, indent));
        const text = texts.map((t, i) => t + (parts[i] as [unknown, unknown, string])[2]).join('');
        const stream = loadText('s.jsonl', text);
        const alone = texts.map((t) => loadText('s.jsonl', t));
        expect(stream.errors.map((e) => e.code)).toEqual(alone.flatMap((a) => a.errors.map((e) => e.code)));
        let line = 0;
        let resource = 0;
        texts.forEach((t, i) => {
          for (const expected of (alone[i] as LoadResult).resources) {
            const actual = stream.resources[resource++];
            expect(actual?.object).toEqual(expected.object);
            expect(actual?.documentIndex).toBe(i);
            for (const pointer of ['', '/metadata/name', '/spec/containers/0/image', '/spec/containers/0/securityContext']) {
              const at = expected.locate(pointer);
              expect(actual?.locate(pointer)).toEqual({ ...at, line: at.line + line });
            }
          }
          line += t.split('\n').length - 1 + ((parts[i] as [unknown, unknown, string])[2].split('\n').length - 1);
        });
        expect(stream.resources).toHaveLength(resource);
      }),
      { numRuns: 150 },
    );
  });

  it('reads objects with nothing between them, and leaves a broken one to the YAML reader', () => {
    const a = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } });
    expect(loadText('s.json', a + a.replace('"a"', '"b"')).resources.map((r) => [r.ref.name, r.locate('/metadata/name').column])).toEqual([['a', 45], ['b', 101]]);
    const broken = loadText('s.json', `${a}\n{"apiVersion": "v1",`);
    expect(broken.errors.map((e) => e.code)).toEqual(['LOAD_YAML_SYNTAX']);
  });

  it('harden edits each object of a stream as it edits the object alone', () => {
    const deployment = (name: string): string => JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } } });
    const [a, b] = [deployment('a'), deployment('b')];
    expect(hardenText('a.json', a).text).not.toBe(a);
    expect(hardenText('s.jsonl', `${a}\n${b}\n`).text).toBe(`${hardenText('a.json', a).text}\n${hardenText('b.json', b).text}\n`);
  });
});
