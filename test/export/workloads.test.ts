import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { exportPss, pluralOf, type ExportedPolicy } from '../../src/export/index.js';
import { evaluatePodSpec, pssCheckId, type CheckLevel } from '../../src/pss/index.js';
import { BUILTIN_WORKLOADS, evaluationSpec, findPodSpecs, WorkloadTable } from '../../src/workloads/index.js';
import { SHARED } from '../helpers/shared.js';
import { evaluatePolicy } from './harness.js';

/**
 * The workloads table in CEL: every object of the ML manifest corpus (KServe, KubeRay, Kubeflow,
 * Seldon, vLLM, Kaito…) whose kind palisade knows gets, from the exported policy, exactly the
 * union of the violations palisade finds over all of its pod specs.
 */

const ROOT = join(SHARED, 'corpus/ml-manifests');
const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as Array<{ file: string }>;
const table = new WorkloadTable(BUILTIN_WORKLOADS);

function policy(level: CheckLevel): ExportedPolicy {
  return exportPss({ pss: { level, version: 'latest', mode: 'enforce' }, workloads: BUILTIN_WORKLOADS, configExemptions: [] }).policies[0]!;
}

function objects(): Array<{ file: string; object: Record<string, unknown> }> {
  const out: Array<{ file: string; object: Record<string, unknown> }> = [];
  for (const { file } of index) {
    for (const doc of parseAllDocuments(readFileSync(join(ROOT, file), 'utf8'))) {
      const object = doc.toJS() as unknown;
      if (object === null || typeof object !== 'object' || Array.isArray(object)) continue;
      const o = object as Record<string, unknown>;
      if (typeof o.apiVersion === 'string' && typeof o.kind === 'string' && table.lookup(o.apiVersion, o.kind)) out.push({ file, object: o });
    }
  }
  return out;
}

/** palisade's own verdict: the union of violated check ids over the pod specs the table names. */
function ownViolations(object: Record<string, unknown>, level: CheckLevel): string[] {
  const ids = new Set<string>();
  for (const ref of findPodSpecs(object, table)) {
    if (ref.discovered) continue;
    const evaluation = evaluatePodSpec(ref.metadata, evaluationSpec(ref).spec, { level, version: 'latest' });
    for (const v of evaluation.violations) ids.add(pssCheckId(v.check));
  }
  return [...ids].sort();
}

describe('PSS export over the ML manifest corpus', () => {
  const corpus = objects();
  const policies = { baseline: policy('baseline'), restricted: policy('restricted') };

  it('matches every kind of the workloads table that holds pod specs', () => {
    const kinds = policies.restricted.match.map((m) => `${m.groups.join(',')}/${m.kind}`);
    for (const row of BUILTIN_WORKLOADS.filter((r) => r.podSpecs.length > 0)) expect(kinds).toContain(`${row.groups.join(',')}/${row.kind}`);
    expect(policies.restricted.match.find((m) => m.kind === 'InferenceService')!.resource).toBe('inferenceservices');
    expect(pluralOf('RayCluster')).toBe('rayclusters');
  });

  it(`each of the ${corpus.length} workload objects gets palisade's verdict at baseline and restricted`, () => {
    expect(corpus.length).toBeGreaterThan(200);
    const kinds = new Set<string>();
    const disagreements: string[] = [];
    let denied = 0;
    for (const { file, object } of corpus) {
      kinds.add(String(object.kind));
      for (const level of ['baseline', 'restricted'] as const) {
        const expected = ownViolations(object, level);
        const actual = [...evaluatePolicy(policies[level], object).failed].sort();
        if (expected.length > 0) denied++;
        if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push(`${file} ${String(object.kind)} ${level}: palisade ${expected.join(',') || 'allowed'}, CEL ${actual.join(',') || 'allowed'}`);
      }
    }
    expect(disagreements).toEqual([]);
    expect(denied).toBeGreaterThan(100);
    for (const kind of ['InferenceService', 'RayCluster', 'RayService', 'PyTorchJob', 'SeldonDeployment', 'Deployment', 'Notebook']) expect(kinds).toContain(kind);
  });
});
