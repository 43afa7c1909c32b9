import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../../src/pss/checks/index.js';
import { evaluatePodSpec, LATEST_VERSION, type Level } from '../../src/pss/index.js';
import { decodePodMeta, decodePodSpec } from '../../src/pss/podSpec.js';
import { getAtPointer } from '../../src/core/pointer.js';
import type { CheckLevel } from '../../src/pss/types.js';
import { minorOf } from '../../src/pss/version.js';
import { annotationsArb, clean, podSpecArb, versionArb } from './arbitraries.js';

const RUNS = { numRuns: 400 };
const pod = fc.record({ spec: podSpecArb.map(clean), annotations: annotationsArb });
const idsOf = (level: Level, version: string, spec: unknown, annotations: Record<string, string>) =>
  evaluatePodSpec({ annotations }, spec, { level, version }).violations.map((v) => v.check);

/**
 * The naive oracle: no precomputed tables. For each check, find the version in effect by scanning,
 * drop baseline checks that an active restricted check overrides, and order as upstream (baseline IDs
 * sorted, then restricted IDs sorted).
 */
function oracle(level: CheckLevel, version: string, spec: unknown, annotations: Record<string, string>): string[] {
  const minor = Math.min(minorOf(version) ?? 0, 37);
  const active = ALL_CHECKS.flatMap((check) => {
    const versions = check.versions.filter((v) => (minorOf(v.minimumVersion) ?? 99) <= minor);
    const current = versions[versions.length - 1];
    return current ? [{ check, current }] : [];
  });
  const overridden = level === 'restricted' ? new Set(active.filter((a) => a.check.level === 'restricted').flatMap((a) => a.current.overrides ?? [])) : new Set<string>();
  const applicable = active.filter(({ check }) => (check.level === 'baseline' ? !overridden.has(check.id) : level === 'restricted'));
  const sortKey = ({ check }: (typeof applicable)[number]) => `${check.level === 'baseline' ? 0 : 1}${check.id}`;
  applicable.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const meta = decodePodMeta({ annotations });
  const decoded = decodePodSpec(spec);
  return applicable.filter(({ current }) => !current.evaluate(meta, decoded).allowed).map(({ check }) => check.id);
}

function shuffled<T>(list: readonly T[] | undefined, seed: number): T[] | undefined {
  if (!list) return list;
  const copy = [...list];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

describe('PSS properties', () => {
  it('matches the naive oracle at every level and version', () => {
    fc.assert(
      fc.property(pod, versionArb, fc.constantFrom<CheckLevel>('baseline', 'restricted'), ({ spec, annotations }, version, level) => {
        expect(idsOf(level, version, spec, annotations)).toEqual(oracle(level, version, spec, annotations));
      }),
      RUNS,
    );
  });

  // Only for pods the API server can validate: it rejects Linux-only securityContext fields on
  // Windows pods, and upstream's restricted checks exempt Windows pods where the baseline checks
  // they override do not, so an (invalid) Windows pod with `capabilities.add` or an empty seccomp
  // type is restricted-allowed yet baseline-denied, upstream too.
  it('restricted-allowed implies baseline-allowed at the same version (pods that pass API validation)', () => {
    const linuxPod = pod.filter(({ spec }) => (spec as { os?: { name?: string } }).os?.name !== 'windows');
    fc.assert(
      fc.property(linuxPod, versionArb, ({ spec, annotations }, version) => {
        const restricted = evaluatePodSpec({ annotations }, spec, { level: 'restricted', version });
        const baseline = evaluatePodSpec({ annotations }, spec, { level: 'baseline', version });
        expect(!restricted.allowed || baseline.allowed).toBe(true);
      }),
      RUNS,
    );
  });

  it('the verdict and the failing checks never depend on container order', () => {
    fc.assert(
      fc.property(pod, versionArb, fc.constantFrom<Level>('baseline', 'restricted'), fc.integer(), ({ spec, annotations }, version, level, seed) => {
        const reordered = {
          ...spec,
          containers: shuffled(spec.containers, seed),
          initContainers: shuffled(spec.initContainers, seed + 1),
          ephemeralContainers: shuffled(spec.ephemeralContainers, seed + 2),
          volumes: shuffled(spec.volumes, seed + 3),
        };
        expect(idsOf(level, version, clean(reordered), annotations)).toEqual(idsOf(level, version, spec, annotations));
      }),
      RUNS,
    );
  });

  it('privileged always allows', () => {
    fc.assert(
      fc.property(pod, versionArb, ({ spec, annotations }, version) => {
        expect(evaluatePodSpec({ annotations }, spec, { level: 'privileged', version }).allowed).toBe(true);
      }),
      RUNS,
    );
  });

  it('latest equals the newest version', () => {
    fc.assert(
      fc.property(pod, fc.constantFrom<Level>('baseline', 'restricted'), ({ spec, annotations }, level) => {
        expect(evaluatePodSpec({ annotations }, spec, { level, version: 'latest' })).toEqual(evaluatePodSpec({ annotations }, spec, { level, version: LATEST_VERSION }));
      }),
      RUNS,
    );
  });

  it('every field pointer names a node that exists in the input', () => {
    fc.assert(
      fc.property(pod, versionArb, ({ spec, annotations }, version) => {
        for (const violation of evaluatePodSpec({ annotations }, spec, { level: 'restricted', version }).violations) {
          expect(violation.fields.length, violation.check).toBeGreaterThan(0);
          for (const field of violation.fields) {
            const root = field.in === 'spec' ? spec : { annotations };
            expect(getAtPointer(root, field.pointer), `${violation.check} ${field.pointer}`).not.toBe(undefined);
          }
        }
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (spec, meta) => {
        const evaluation = evaluatePodSpec(meta as never, spec, { level: 'restricted', version: 'latest' });
        expect(typeof evaluation.allowed).toBe('boolean');
      }),
      RUNS,
    );
  });
});
