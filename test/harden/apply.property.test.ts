import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_YAML_OPTIONS } from '../../src/core/load.js';
import { hardenText } from '../../src/harden/index.js';
import { workload, writeYaml, writing } from './arbitraries.js';
import { comments, expectedTrees, trees } from './helpers.js';

/**
 * For manifests written every which way (flow maps, comments, an anchor shared through an alias,
 * indentation 2–4, both sequence styles, a leading document), harden's output parses to the input
 * tree plus exactly the reported changes, keeps every comment, and a second run changes nothing.
 */
describe('harden edits YAML text exactly', () => {
  it('output = input + changes, comments kept, idempotent', () => {
    fc.assert(
      fc.property(workload, writing, (object, style) => {
        const text = writeYaml(object, style);
        // The writer itself can emit invalid YAML (a comment after an empty flow list); skip those.
        fc.pre(parseAllDocuments(text, KUBERNETES_YAML_OPTIONS).every((d) => d.errors.length === 0));
        const hardened = hardenText('gen.yaml', text);
        expect(hardened.errors).toEqual([]);
        expect(trees(hardened.text)).toEqual(expectedTrees(hardened));
        expect(comments(hardened.text)).toEqual(comments(text));
        const again = hardenText('gen.yaml', hardened.text);
        expect(again.text).toBe(hardened.text);
        expect(again.results.flatMap((r) => r.changes)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
