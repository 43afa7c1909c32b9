import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator, evaluatePodSpec, podEvaluator, type Level, type PssCheck } from '../../src/pss/index.js';
import { annotationsArb, clean, podSpecArb, versionArb } from './arbitraries.js';

// podEvaluator decodes a pod once and shares check results between the policies PSA asks about
// (enforce, audit, warn): each answer must be exactly evaluatePodSpec's, whatever the order of the
// policies and however often one repeats.
const policyArb = fc.record({
  level: fc.constantFrom<Level>('privileged', 'baseline', 'restricted'),
  version: fc.oneof(versionArb, fc.constantFrom('latest', 'v1.x', 'bogus')),
});

describe('PSS: one pod at several policies', () => {
  it('answers each policy exactly as evaluatePodSpec does', () => {
    fc.assert(
      fc.property(podSpecArb.map(clean), annotationsArb, fc.array(policyArb, { minLength: 1, maxLength: 5 }), (spec, annotations, policies) => {
        const evaluate = podEvaluator({ annotations }, spec);
        for (const policy of policies) expect(evaluate(policy)).toEqual(evaluatePodSpec({ annotations }, spec, policy));
      }),
      { numRuns: 300 },
    );
  });

  it('decodes the pod once and runs a check that baseline and restricted share once', () => {
    const calls: string[] = [];
    const check = (id: string, level: 'baseline' | 'restricted'): PssCheck => ({
      id,
      level,
      title: id,
      description: id,
      versions: [{ minimumVersion: 'v1.0', evaluate: () => (calls.push(id), { allowed: false, reason: `${id} reason`, detail: 'x' }) }],
    });
    const evaluator = createEvaluator([check('shared', 'baseline'), check('strict', 'restricted')]);
    let reads = 0;
    const spec = { containers: [] } as Record<string, unknown>;
    Object.defineProperty(spec, 'hostPID', { enumerable: true, get: () => (reads++, false) });
    const evaluate = evaluator.evaluatorFor({}, spec);
    const restricted = evaluate({ level: 'restricted', version: 'latest' });
    const baseline = evaluate({ level: 'baseline', version: 'v1.0' });
    expect(restricted.violations.map((v) => v.check)).toEqual(['shared', 'strict']);
    expect(baseline.violations.map((v) => v.check)).toEqual(['shared']);
    expect(calls).toEqual(['shared', 'strict']);
    expect(reads).toBe(1);
    expect(evaluator.evaluatePodSpec({}, spec, { level: 'restricted', version: 'latest' })).toEqual(restricted);
  });
});
