import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDIT_UNSAFE, planResource } from '../../src/harden/index.js';
import { clone, setAt, type PlainObject } from '../../src/harden/objects.js';
import { evaluatePodSpec } from '../../src/pss/index.js';
import { evaluationSpec, findPodSpecs } from '../../src/workloads/index.js';
import { annotationsArb, clean, podSpecArb, versionArb } from '../pss/arbitraries.js';
import { workload } from './arbitraries.js';

/**
 * Issue 5's property: for random pods (every field a PSS check reads, odd values included), at a
 * random level and version, the hardened pod is allowed, or carries a blocker for each check it
 * still fails; and hardening the result again changes nothing. The oracle is the PSS evaluator.
 */
const levelArb = fc.constantFrom('baseline' as const, 'restricted' as const);
const pods = fc.oneof(
  fc.record({ spec: podSpecArb, annotations: annotationsArb }).map(({ spec, annotations }) => clean({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec }) as PlainObject),
  workload.map((w) => clean(w) as PlainObject),
);

function harden(object: PlainObject, level: 'baseline' | 'restricted', version: string): { hardened: PlainObject; blocked: Map<string, Set<string>>; changes: number } {
  const plans = planResource(object, { level, version, uid: 65532 });
  const hardened = clone(object);
  for (const change of plans.flatMap((p) => p.changes)) setAt(hardened, change.pointer, clone(change.value));
  const blocked = new Map(plans.map((p) => [p.podSpecPath, new Set(p.blockers.map((b) => b.check))]));
  return { hardened, blocked, changes: plans.reduce((n, p) => n + p.changes.length, 0) };
}

describe('harden properties', () => {
  it('allowed, or a blocker for every remaining violation; idempotent', () => {
    fc.assert(
      fc.property(pods, levelArb, versionArb, (object, level, version) => {
        const { hardened, blocked } = harden(object, level, version);
        for (const ref of findPodSpecs(hardened)) {
          const evaluation = evaluatePodSpec(ref.metadata, evaluationSpec(ref).spec, { level, version });
          const checks = blocked.get(ref.podSpecPath) ?? new Set<string>();
          const unexplained = evaluation.violations.map((v) => v.check).filter((c) => !checks.has(c) && !checks.has(EDIT_UNSAFE));
          expect(unexplained).toEqual([]);
        }
        expect(harden(hardened, level, version).changes).toBe(0);
      }),
      { numRuns: 600 },
    );
  });

  it('never touches a pod that already passes, apart from read-only root and token hardening', () => {
    fc.assert(
      fc.property(pods, levelArb, versionArb, (object, level, version) => {
        const refs = findPodSpecs(object);
        const passing = refs.filter((ref) => evaluatePodSpec(ref.metadata, evaluationSpec(ref).spec, { level, version }).allowed).map((r) => r.podSpecPath);
        const plans = planResource(object, { level, version, uid: 65532 });
        for (const plan of plans.filter((p) => passing.includes(p.podSpecPath))) {
          const allowed = new Set(['readOnlyRootFilesystem', 'automountServiceAccountToken', 'runAsNonRoot']);
          expect(plan.changes.filter((c) => !allowed.has(c.check))).toEqual([]);
          // A pod may pass PSS (runAsUser is only checked from v1.23) and still never start: the
          // kubelet refuses runAsNonRoot: true with runAsUser: 0. harden rightly asks a human there.
          const cannotStart = (b: { check: string }): boolean => b.check === 'runAsUser' && JSON.stringify(object).includes('"runAsNonRoot":true');
          expect(plan.blockers.filter((b) => !cannotStart(b))).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });
});
