import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { loadText } from '../../src/core/load.js';
import { pointerTokens } from '../../src/core/pointer.js';
import { BUILTIN_WORKLOADS, findPodSpecs, malformedPodSpecs } from '../../src/workloads/index.js';

// The API types: a Pod's `spec` is a PodSpec (a struct: a JSON object), a Deployment's
// `spec.template` a PodTemplateSpec whose `spec` is a PodSpec, KubeRay's `workerGroupSpecs` a list
// of WorkerGroupSpec; JSON decoding refuses a string, number, bool or array in place of an object,
// and a null is the zero value (an absent field). So a scalar or a list at a pod-spec location, or
// on the way to it, is a refused object: WORKLOAD_MALFORMED, never silence.

const run = (yaml: string) => audit(loadText('t.yaml', yaml), { now: new Date('2026-01-01') });
const malformed = (yaml: string) =>
  run(yaml)
    .findings.filter((f) => f.checkId === 'WORKLOAD_MALFORMED')
    .map((f) => [f.path, f.location && `${f.location.line}:${f.location.column}`, f.message]);

describe('WORKLOAD_MALFORMED: a known pod-spec location that is not a mapping', () => {
  it('a Pod whose spec is a sequence (an indentation slip), with file:line:column and what was expected', () => {
    expect(malformed(`apiVersion: v1\nkind: Pod\nmetadata: {name: pod1}\nspec:\n  - containers:\n  - name: main\n    image: alpine\n`)).toEqual([
      ['/spec', '4:1', '/spec holds a sequence where the pod spec of the Pod must be a mapping; the API server would refuse the object, and nothing under it was judged'],
    ]);
  });

  it('a string pod spec in a template, a number where KubeRay wants a list, an embedded Katib trial: each named; the sound parts are still judged', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec: "oops"
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: r}
spec:
  headGroupSpec: {template: {spec: {containers: [{name: head, image: "rayproject/ray:2.9.0", securityContext: {privileged: true}}]}}}
  workerGroupSpecs: 3
---
apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: e}
spec:
  trialTemplate:
    trialSpec:
      apiVersion: batch/v1
      kind: Job
      spec: {template: [1]}
`;
    expect(malformed(yaml)).toEqual([
      ['/spec/template/spec', '6:5', '/spec/template/spec holds a string ("oops") where the pod spec of the Deployment must be a mapping; the API server would refuse the object, and nothing under it was judged'],
      ['/spec/workerGroupSpecs', '13:3', '/spec/workerGroupSpecs holds a number (3) where a list or a mapping is expected on the way to the pod spec of the RayCluster (/spec/workerGroupSpecs/*/template/spec); the API server would refuse the object, and nothing under it was judged'],
      ['/spec/trialTemplate/trialSpec/spec/template', '23:14', '/spec/trialTemplate/trialSpec/spec/template holds a sequence where a mapping is expected on the way to the pod spec of the Job (/spec/template/spec); the API server would refuse the object, and nothing under it was judged'],
    ]);
    // the RayCluster's head group is still read and judged
    expect(run(yaml).findings.filter((f) => f.checkId === 'PSS_BASELINE_PRIVILEGED').map((f) => f.path)).toEqual(['/spec/headGroupSpec/template/spec/containers/0/securityContext/privileged']);
  });

  it('null, absent and well-formed specs, unknown kinds and optional KServe components are not malformed', () => {
    expect(
      malformed(`apiVersion: v1
kind: Pod
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: c}
spec: {template: {spec: {containers: [{name: c, image: "nginx:1.27"}]}}}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: [1, 2]
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: i}
spec:
  predictor: {sklearn: {storageUri: "gs://b/m"}}
  transformer: null
`),
    ).toEqual([]);
  });
});

/** Every table location, with its pointer made concrete (`*` → index 0 of a one-item list). */
const LOCATIONS = BUILTIN_WORKLOADS.flatMap((row) => row.podSpecs.map((location) => ({ row, pointer: location.podSpec.replace(/\*/g, '0') })));

function objectWith(row: (typeof BUILTIN_WORKLOADS)[number], pointer: string, value: unknown, cut: number): { object: Record<string, unknown>; at: string } {
  const tokens = pointerTokens(pointer).slice(0, cut);
  const object: Record<string, unknown> = { apiVersion: row.groups[0] === '' ? 'v1' : `${row.groups[0]!}/v1`, kind: row.kind, metadata: { name: 'x' } };
  let holder: Record<string, unknown> | unknown[] = object;
  tokens.forEach((token, i) => {
    const last = i === tokens.length - 1;
    const child: unknown = last ? value : /^\d+$/.test(tokens[i + 1]!) ? [] : {};
    if (Array.isArray(holder)) holder.push(child);
    else holder[token] = child;
    holder = child as Record<string, unknown> | unknown[];
  });
  return { object, at: '/' + tokens.join('/') };
}

describe('malformedPodSpecs over the whole workloads table (property)', () => {
  it('a scalar or a sequence put at any depth of any known location is reported once, at that place, and yields no pod spec there', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant([1]), fc.constant(['a', 'b']));
    fc.assert(
      fc.property(fc.constantFrom(...LOCATIONS), scalar, fc.nat(), ({ row, pointer }, value, n) => {
        const depth = pointerTokens(pointer).length;
        const cut = 1 + (n % depth);
        const { object, at } = objectWith(row, pointer, value, cut);
        // a `*` place holding a list is a list of (bad) items: the item is reported, not the list
        const tokens = pointerTokens(pointer);
        const expectedAt = Array.isArray(value) && tokens[cut] === '0' ? null : at;
        const notes = malformedPodSpecs(object);
        if (expectedAt === null) return;
        expect(notes.map((n) => n.path)).toEqual([expectedAt]);
        // the place may be the pod spec of another row location (KServe's predictor holds workerSpec)
        expect(notes[0]!.atPodSpec).toBe(row.podSpecs.some((l) => l.podSpec.replace(/\*/g, '0') === at));
        expect(findPodSpecs(object).filter((r) => r.podSpecPath === pointer || r.podSpecPath.startsWith(at + '/'))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
