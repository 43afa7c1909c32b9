import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText, parseJsonDocuments, type LoadResult } from '../../src/core/load.js';

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
  fc.constantFrom('', '\n', '  \n'),
);
const marker = fc.constantFrom('---\n', '--- \n', '---\t\n', '---\r\n');

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
    expect(parseJsonDocuments('{"a":1}\n---\n{"b":2}')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parseJsonDocuments('\n---\n\n---\n{"a":1}\n---\n')).toEqual([null, { a: 1 }, null]);
    // A comment, a document end marker, a marker carrying content, a flow mapping that is not JSON,
    // a scalar document: the YAML path reads (or reports) them.
    for (const text of ['# c\n{"a":1}', '{"a":1}\n...\n', '{"a":1}\n--- {"b":2}', '{a: 1}', '{"a":1}\n---\n7', '{"a":1}\n----\n']) {
      expect(parseJsonDocuments(text)).toBeUndefined();
    }
  });
});
