import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecisionLog } from '../../src/admission/engine.js';
import { decisionLine } from '../../src/admission/server.js';

/** The decision log line written field by field is the text the generic serializer gave. */
describe('decisionLine', () => {
  it('is JSON.stringify of the line object, for any log the engine makes', () => {
    // Any text where the request puts it (uid, kind, namespace, name, check ids): quotes, newlines, lone surrogates.
    const text = fc.string({ unit: 'binary' });
    const log = fc
      .record({
        uid: text,
        endpoint: fc.constantFrom('validate' as const, 'mutate' as const),
        kind: text,
        namespace: text,
        name: text,
        operation: text,
        dryRun: fc.boolean(),
        decision: fc.constantFrom('allow' as const, 'deny' as const),
        checks: fc.array(text, { maxLength: 4 }),
        warnings: fc.nat(),
        patched: fc.nat(),
        failures: fc.array(text, { maxLength: 2 }),
        ms: fc.oneof(fc.nat(), fc.double()),
        skipped: fc.option(text, { nil: undefined }),
        cached: fc.option(fc.constant(true), { nil: undefined }),
      })
      .map(({ skipped, cached, ...fixed }): DecisionLog => {
        // As the engine makes it: the fixed fields, then `skipped` or `cached` when it sets them.
        const made: DecisionLog = { ...fixed };
        if (skipped !== undefined) made.skipped = skipped;
        if (cached !== undefined) made.cached = cached;
        return made;
      });
    fc.assert(
      fc.property(log, fc.constantFrom('2026-12-07T20:00:00.000Z', 'x"y'), (entry, time) => {
        expect(decisionLine(entry, time)).toBe(JSON.stringify({ level: 'info', msg: 'decision', time, ...entry }));
      }),
      { numRuns: 1000 },
    );
  });
});
