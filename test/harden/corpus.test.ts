import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { getAt } from '../../src/harden/objects.js';
import { loadText } from '../../src/core/load.js';
import { EDIT_UNSAFE, hardenText } from '../../src/harden/index.js';
import { SHARED } from '../helpers/shared.js';
import { comments, expectedTrees, trees, verdicts } from './helpers.js';

/**
 * Issue 5 acceptance over ../shared/corpus/ml-manifests, every file in place: the hardened text
 * parses, restricted allows every pod spec except those with a blocker for each remaining
 * violation, comments are kept, nothing but the changes differs, and a second run is a no-op.
 */
const CORPUS = join(SHARED, 'corpus/ml-manifests');
const FILES = (JSON.parse(readFileSync(join(CORPUS, 'index.json'), 'utf8')) as Array<{ file: string }>).map((e) => e.file);

describe('harden on the ml-manifests corpus', () => {
  it('reads the whole corpus', () => {
    expect(FILES.length).toBe(329);
  });

  const totals = { changed: 0, podSpecs: 0, blocked: 0 };
  for (const file of FILES) {
    it(file, () => {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      const hardened = hardenText(file, text);
      const before = loadText(file, text);
      const after = loadText(file, hardened.text);
      // Parses as well as the original did.
      expect(after.errors.map((e) => e.code)).toEqual(before.errors.map((e) => e.code));
      expect(after.resources.length).toBe(before.resources.length);
      // The YAML trees differ by exactly the reported changes.
      expect(trees(hardened.text)).toEqual(expectedTrees(hardened));
      // Text: an edit rewrites at most its own line and the old list it replaces, never the rest of the
      // file (a re-stringified document would remove far more lines than there are changes).
      const removedLines = diffLines(text, hardened.text).filter((part) => part.removed).reduce((n, part) => n + (part.count ?? 0), 0);
      const changes = hardened.results.flatMap((r) => r.changes);
      const oldListLength = (pointer: string): number =>
        before.resources.reduce((n, res) => {
          const old = getAt(res.object, pointer);
          return Math.max(n, Array.isArray(old) ? old.length : 0);
        }, 0);
      // (A last line without a newline gets one when lines are added after it.)
      const lastLine = text.endsWith('\n') ? 0 : 1;
      expect(removedLines).toBeLessThanOrEqual(lastLine + changes.reduce((n, c) => n + 1 + oldListLength(c.pointer), 0));
      // Comments are all still there, in order.
      expect(comments(hardened.text)).toEqual(comments(text));
      // Every pod spec passes restricted, or each remaining violation has a blocker.
      for (const verdict of verdicts(file, hardened.text)) {
        const result = hardened.results.find((r) => r.podSpecPath === verdict.podSpecPath && `${r.resource.kind}/${r.resource.name}` === verdict.resource.replace(/#\d+$/, ''));
        expect(result, `${verdict.resource} ${verdict.podSpecPath}`).toBeDefined();
        const blocked = new Set(result!.blockers.map((b) => b.check));
        const unexplained = verdict.violated.filter((check) => !blocked.has(check) && !blocked.has(EDIT_UNSAFE));
        expect(unexplained, `${verdict.resource} ${verdict.podSpecPath}`).toEqual([]);
        totals.podSpecs++;
        if (!verdict.allowed) totals.blocked++;
      }
      // Idempotent.
      const again = hardenText(file, hardened.text);
      expect(again.text).toBe(hardened.text);
      expect(again.results.flatMap((r) => r.changes)).toEqual([]);
      if (hardened.text !== text) totals.changed++;
    });
  }

  it('hardened most of the corpus', () => {
    // Printed for the record; the per-file tests above are the acceptance.
    console.log(`harden corpus: ${totals.changed} files changed, ${totals.podSpecs} pod specs, ${totals.blocked} with blockers`);
    expect(totals.podSpecs).toBeGreaterThan(300);
    expect(totals.changed).toBeGreaterThan(200);
  });
});
