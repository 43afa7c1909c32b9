import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activate, podContexts, resourceContext, runResourceChecks, type Locatable } from '../../src/checks/index.js';
import { findStringsUnder, modelUriFields } from '../../src/checks/context.js';
import { hfModelUnpinned } from '../../src/checks/ml/hfModelUnpinned.js';
import { modelUriPlainHttp } from '../../src/checks/ml/modelUriPlainHttp.js';
import { isModelUriField, MODEL_URI_SEARCH_KEYS } from '../../src/knowledge/index.js';
import { findPodSpecs } from '../../src/workloads/index.js';
import { resourceRef } from '../../src/core/load.js';

// The two model-URI checks read one walk of the object per run (modelUriFields, memoized with the
// run's ResourceContext). Oracle: the walk each check made on its own before.

const keys = fc.constantFrom(...MODEL_URI_SEARCH_KEYS, 'model', 'name', 'image', 'env', 'spec', 'predictor', 'args');
const uri = fc.oneof(
  fc.constantFrom('http://models.example/m.pt', ' HTTP://x/y ', 'https://ok/m', 's3://b/m', 'hf://org/model', 'hf://org/model:main', `hf://org/model:${'a'.repeat(40)}`, ''),
  fc.string({ maxLength: 12 }),
);
const tree = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, uri, fc.array(tie('node'), { maxLength: 3 }), fc.dictionary(keys, tie('node'), { maxKeys: 4 })),
}));
const objectArb = fc.record({ apiVersion: fc.constantFrom('serving.kserve.io/v1beta1', 'v1', 'example.com/v1'), kind: fc.constantFrom('InferenceService', 'Pod', 'Thing'), metadata: fc.constant({ name: 'x', namespace: 'ns' }), spec: tree.node });

const locatable = (object: Record<string, unknown>): Locatable => ({ ref: resourceRef(object, 0), object, locate: () => ({ file: '-', line: 1, column: 1 }) });
const checks = [activate(modelUriPlainHttp, {}), activate(hfModelUnpinned, {})];

describe('modelUriFields', () => {
  it('is the model-URI fields findStringsUnder finds, in its order', () => {
    fc.assert(
      fc.property(objectArb, (object) => {
        const resource = locatable(object);
        const context = resourceContext(resource, podContexts(resource, findPodSpecs(object)), '2026-12-07');
        const expected = findStringsUnder(object, MODEL_URI_SEARCH_KEYS).filter((f) => isModelUriField(f.key, f.parentKey));
        expect(modelUriFields(context)).toEqual(expected);
        expect(modelUriFields(context)).toBe(modelUriFields(context));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the checks run one at a time on one shared context the findings of a fresh context each', () => {
    fc.assert(
      fc.property(objectArb, (object) => {
        const resource = locatable(object);
        const contexts = podContexts(resource, findPodSpecs(object));
        const shared = resourceContext(resource, contexts, '2026-12-07');
        const oneByOne = checks.flatMap((active) => runResourceChecks([active], resource, contexts, '2026-12-07', shared));
        const fresh = checks.flatMap((active) => runResourceChecks([active], resource, contexts, '2026-12-07'));
        expect(oneByOne).toEqual(fresh);
        expect(runResourceChecks(checks, resource, contexts, '2026-12-07')).toEqual(fresh);
      }),
      { numRuns: 300 },
    );
  });

  it('finds a plain-http storageUri and an unpinned hf:// model under one walk', () => {
    const object = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: 'x', namespace: 'ns' }, spec: { predictor: { model: { storageUri: 'http://models.example/m.pt' } }, transformer: { model: { uri: 'hf://org/model' } } } };
    const resource = locatable(object);
    const contexts = podContexts(resource, findPodSpecs(object));
    const found = runResourceChecks(checks, resource, contexts, '2026-12-07').map((f) => [f.checkId, f.path]);
    expect(found).toEqual([
      ['MODEL_URI_PLAIN_HTTP', '/spec/predictor/model/storageUri'],
      ['HF_MODEL_UNPINNED', '/spec/transformer/model/uri'],
    ]);
  });
});
