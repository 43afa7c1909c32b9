import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { documentSpan, loadText, spanLocator } from '../../src/core/load.js';
import { joinPointer } from '../../src/core/pointer.js';
import { SHARED } from '../helpers/shared.js';

/** Every pointer into a plain value (objects and arrays), the value's own first. */
function pointers(value: unknown, base = ''): string[] {
  const out = [base];
  if (Array.isArray(value)) value.forEach((item, i) => out.push(...pointers(item, joinPointer(base, i))));
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) out.push(...pointers(item, joinPointer(base, key)));
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/**
 * A finding located by parsing one document again must sit where the whole file's parse by the
 * yaml package puts it, whichever reader (block fast path or yaml package) took the spans.
 */
function expectSameLocations(file: string, text: string, extra: string[] = []): number {
  let checked = 0;
  const truth = loadText(file, text, { blockFastPath: false }).resources;
  for (const blockFastPath of [true, false]) {
    for (const resource of loadText(file, text, { blockFastPath }).resources) {
      const span = documentSpan(resource);
      if (!span) continue;
      const locate = spanLocator(file, text, span);
      expect(locate, `${file} #${resource.indexInFile}`).toBeDefined();
      const expected = truth.find((r) => r.indexInFile === resource.indexInFile)!;
      for (const pointer of [...pointers(resource.object), ...extra]) {
        expect([resource.indexInFile, pointer, locate!(pointer)]).toEqual([resource.indexInFile, pointer, expected.locate(pointer)]);
        checked++;
      }
    }
  }
  return checked;
}

describe('locating a finding by parsing its document alone', () => {
  it('gives the whole-file position for every field of every object of the real ML manifests', () => {
    let checked = 0;
    for (const file of yamlFiles(join(SHARED, 'corpus/ml-manifests'))) checked += expectSameLocations(file, readFileSync(file, 'utf8'), ['/spec/missing/0', '/metadata/annotations/absent']);
    expect(checked).toBeGreaterThan(10_000);
  });

  it('agrees on Lists, flow documents, CRLF, comments, anchors and merge keys, in any order of documents', () => {
    const documents = [
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a # comment\nspec:\n  ports:\n  - port: 80\n',
      '# leading comment\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: b}\n  data: {k: v}\n- kind: Secret\n  apiVersion: v1\n  metadata:\n    name: c\n',
      '{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "d"}, "spec": {"containers": [{"name": "x", "image": "y"}]}}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: e\n  labels: &labels\n    app: e\nspec:\n  selector:\n    matchLabels: *labels\n  template:\n    metadata:\n      labels:\n        <<: *labels\n        tier: web\n    spec:\n      containers:\n      - name: c\n        image: nginx\n',
      '--- # a separator with a comment\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: f\n',
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(documents, { minLength: 1 }), fc.boolean(), (chosen, crlf) => {
        let text = chosen.map((d) => (d.startsWith('---') ? d : `---\n${d}`)).join('');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        expectSameLocations('generated.yaml', text, ['/nope']);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses a text other than the one the span was taken from, so the caller parses the whole file', () => {
    const text = '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: f\n';
    const [resource] = loadText('a.yaml', text).resources;
    const span = documentSpan(resource!)!;
    expect(spanLocator('a.yaml', text + '# edited\n', span)).toBeUndefined();
    expect(spanLocator('a.yaml', text, span)?.('/metadata/name')).toEqual({ file: 'a.yaml', line: 5, column: 3 });
  });
});
