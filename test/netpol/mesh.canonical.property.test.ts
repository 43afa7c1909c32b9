import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { load, loadText, type Resource } from '../../src/core/load.js';
import { buildMeshModel, expandTopLevelSequences, meshMatrix, type Resolution } from '../../src/netpol/layers/matrix.js';
import { calicoPolicy, ciliumDocs, ciliumPolicy, istioPolicy, k8sPolicy, meshDocs, peerAuth, sidecar, workload, workloadDocs } from './meshGenerators.js';

/**
 * The matrix output is canonical: the same input with its documents in another order prints the
 * same bytes (entries, their order, how the allowed set is cut into entries, the order of patterns).
 * Calico's ordered policies (and Kubernetes NetworkPolicies beside them, order 1000) keep their
 * relative order when Calico objects are present: equal orders are decided by input order, so a
 * shuffle there may change the meaning (calico/policy.ts), as the fuzz target's reorder property says.
 */

const CALICO_ORDERED = new Set(['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy']);

/** `order` (a permutation of the free items' indexes) applied, the pinned items kept in their order and slots. */
function shuffled<T>(items: readonly T[], pinned: (t: T) => boolean, order: readonly number[]): T[] {
  const free = items.filter((t) => !pinned(t));
  const picked = order.filter((i) => i < free.length).map((i) => free[i]!);
  let f = 0;
  return items.map((t) => (pinned(t) ? t : picked[f++]!));
}

const kindOf = (doc: unknown): string => String((doc as { kind?: unknown }).kind);
const onCalico = (docs: readonly unknown[]): boolean => docs.some((d) => String((d as { apiVersion?: unknown }).apiVersion).startsWith('projectcalico.org/'));

function output(resources: readonly Resource[], resolution: Resolution): string {
  const model = buildMeshModel(resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  return JSON.stringify(meshMatrix(model, resolution));
}

const text = (docs: readonly unknown[]): Resource[] => loadText('in.yaml', docs.map((d) => JSON.stringify(d)).join('\n---\n')).resources;

function firstDifference(a: string, b: string): string {
  const x = JSON.parse(a) as unknown[];
  const y = JSON.parse(b) as unknown[];
  const i = x.findIndex((e, k) => JSON.stringify(e) !== JSON.stringify(y[k]));
  return `entry ${i}: ${JSON.stringify(x[i])} against ${JSON.stringify(y[i])}`;
}

function expectCanonical(docs: unknown[], order: number[]): void {
  const calico = onCalico(docs);
  const other = shuffled(docs, (d) => calico && CALICO_ORDERED.has(kindOf(d)), order);
  for (const resolution of ['pod', 'deployment'] as const) expect(output(text(other), resolution)).toBe(output(text(docs), resolution));
}

/** A Fisher-Yates permutation of 0..n-1 from a fixed seed (mulberry32). */
function seededPermutation(n: number, seed: number): number[] {
  let a = seed;
  const random = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const permutation = fc.array(fc.nat(), { minLength: 60, maxLength: 60 }).map((keys) => keys.map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i));

describe('mesh matrix output does not depend on document order', () => {
  it('random Calico + Kubernetes + Istio clusters: shuffled documents print the same bytes', () => {
    fc.assert(
      fc.property(
        fc.array(workload, { minLength: 1, maxLength: 5 }),
        fc.array(calicoPolicy, { maxLength: 3 }),
        fc.array(k8sPolicy, { maxLength: 2 }),
        fc.array(istioPolicy, { maxLength: 4 }),
        fc.array(peerAuth, { maxLength: 2 }),
        fc.array(sidecar, { maxLength: 2 }),
        permutation,
        (workloads, calico, k8s, istio, mtls, sidecars, order) => {
          expectCanonical([...workloadDocs(workloads), ...meshDocs({ calico, k8s, istio, mtls, sidecars })], order);
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('random Cilium clusters: shuffled documents print the same bytes', () => {
    fc.assert(
      fc.property(fc.array(workload, { minLength: 1, maxLength: 5 }), fc.array(ciliumPolicy, { maxLength: 5 }), fc.array(k8sPolicy, { maxLength: 2 }), permutation, (workloads, cilium, k8s, order) => {
        expectCanonical([...workloadDocs(workloads), ...ciliumDocs(cilium), ...meshDocs({ calico: [], k8s, istio: [], mtls: [], sidecars: [] })], order);
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  // The conformance corpus's cases, each shuffled twice by a fixed seed (the fuzz target found two of them order-dependent).
  const root = fileURLToPath(new URL('../../../shared/conformance/mesh/', import.meta.url));
  for (const family of ['calico', 'istio', 'cilium']) {
    it(`every ${family} case of the conformance corpus: shuffled documents print the same bytes`, async () => {
      const index = JSON.parse(readFileSync(join(root, family, 'index.json'), 'utf8')) as { cases: (string | { case: string })[] };
      let compared = 0;
      let left = 0;
      for (const name of index.cases.map((c) => (typeof c === 'string' ? c : c.case))) {
        const dir = join(root, family, name);
        const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8')) as { inputs: string[]; resolution: Resolution };
        const loaded = await load(c.inputs.map((i) => join(dir, i)));
        await expandTopLevelSequences(loaded, (f) => readFile(f, 'utf8'));
        const resources = loaded.resources;
        // Nameless objects are named by their position (default/Pod#3): a shuffle renames them.
        if (resources.some((r) => typeof (r.object.metadata as { name?: unknown } | undefined)?.name !== 'string')) continue;
        // Two objects of one kind, namespace and name: the later one wins, so a shuffle changes the input.
        const keys = resources.map((r) => `${kindOf(r.object)}/${String((r.object.metadata as { namespace?: unknown }).namespace)}/${String((r.object.metadata as { name: unknown }).name)}`);
        if (new Set(keys).size !== keys.length) continue;
        const model = buildMeshModel(resources);
        if (model.errors.length > 0) continue;
        const base = JSON.stringify(meshMatrix(model, c.resolution));
        const calico = onCalico(resources.map((r) => r.object));
        for (const seed of [1, 2]) {
          const order = seededPermutation(resources.length, seed);
          const other = shuffled(resources, (r) => calico && CALICO_ORDERED.has(kindOf(r.object)), order);
          const shuffledModel = buildMeshModel(other);
          // NCA keeps the first two of three or more endpoints no selector tells apart (endpoints.ts), so
          // input order picks which; such a case is left out when the shuffle picked others.
          const names = (m: typeof model): string => m.topology.endpoints.map((e) => e.name).sort().join(' ');
          if (names(shuffledModel) !== names(model)) {
            left++;
            continue;
          }
          const got = JSON.stringify(meshMatrix(shuffledModel, c.resolution));
          // The first entry that differs, not two whole matrices.
          if (got !== base) expect(firstDifference(got, base), `${name}, seed ${seed}`).toBe('');
          expect(got).toBe(base);
        }
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
      // Most cases have no three alike pods.
      expect(left).toBeLessThan(compared);
    }, 600_000);
  }
});
