import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { DEFAULT_TABLE, evaluationSpec, expand, findPodSpecs, workloadRowsFromConfig } from '../../src/workloads/index.js';

const one = (yaml: string) => loadText('t.yaml', yaml).resources[0]!.object;

describe('findPodSpecs', () => {
  it('finds every group of a RayJob, including the submitter pod', () => {
    const refs = findPodSpecs(
      one(`apiVersion: ray.io/v1
kind: RayJob
metadata: {name: j}
spec:
  rayClusterSpec:
    headGroupSpec: {template: {spec: {containers: [{name: head, image: ray}]}}}
    workerGroupSpecs:
    - template: {spec: {containers: [{name: w0, image: ray}]}}
    - template: {metadata: {labels: {gpu: "yes"}}, spec: {initContainers: [{name: init, image: busybox}], containers: [{name: w1, image: ray}]}}
  submitterPodTemplate: {spec: {containers: [{name: submit, image: ray}]}}
`),
    );
    expect(refs.map((r) => [r.podSpecPath, r.metadataPath, r.containers.map((c) => `${c.kind}:${c.name}@${c.path}`), r.discovered])).toEqual([
      ['/spec/rayClusterSpec/headGroupSpec/template/spec', undefined, ['container:head@/spec/rayClusterSpec/headGroupSpec/template/spec/containers/0'], false],
      ['/spec/rayClusterSpec/workerGroupSpecs/0/template/spec', undefined, ['container:w0@/spec/rayClusterSpec/workerGroupSpecs/0/template/spec/containers/0'], false],
      ['/spec/rayClusterSpec/workerGroupSpecs/1/template/spec', '/spec/rayClusterSpec/workerGroupSpecs/1/template/metadata', ['initContainer:init@/spec/rayClusterSpec/workerGroupSpecs/1/template/spec/initContainers/0', 'container:w1@/spec/rayClusterSpec/workerGroupSpecs/1/template/spec/containers/0'], false],
      ['/spec/submitterPodTemplate/spec', undefined, ['container:submit@/spec/submitterPodTemplate/spec/containers/0'], false],
    ]);
    expect(refs[2]!.metadata.labels).toEqual({ gpu: 'yes' });
  });

  it('walks replica maps by key and recurses into Katib trial templates', () => {
    const refs = findPodSpecs(
      one(`apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: e}
spec:
  trialTemplate:
    trialSpec:
      apiVersion: kubeflow.org/v1
      kind: PyTorchJob
      spec:
        pytorchReplicaSpecs:
          Master: {template: {spec: {containers: [{name: pytorch, image: t}]}}}
          Worker: {template: {spec: {containers: [{name: pytorch, image: t}]}}}
`),
    );
    expect(refs.map((r) => r.podSpecPath)).toEqual(['/spec/trialTemplate/trialSpec/spec/pytorchReplicaSpecs/Master/template/spec', '/spec/trialTemplate/trialSpec/spec/pytorchReplicaSpecs/Worker/template/spec']);
  });

  it('treats KServe model-format objects as containers named as KServe names them', () => {
    const refs = findPodSpecs(
      one(`apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: i, annotations: {a: b}}
spec:
  predictor:
    securityContext: {runAsNonRoot: true}
    model: {modelFormat: {name: sklearn}, storageUri: "s3://m"}
  transformer:
    containers: [{name: t, image: x}]
`),
    );
    expect(refs.map((r) => [r.podSpecPath, r.metadataPath, r.containers.map((c) => `${c.name}@${c.path}`)])).toEqual([
      ['/spec/predictor', '/metadata', ['kserve-container@/spec/predictor/model']],
      ['/spec/transformer', '/metadata', ['t@/spec/transformer/containers/0']],
    ]);
    const { spec, toResourcePointer } = evaluationSpec(refs[0]!);
    expect(spec.containers).toEqual([{ name: 'kserve-container', modelFormat: { name: 'sklearn' }, storageUri: 's3://m' }]);
    expect(spec.securityContext).toEqual({ runAsNonRoot: true });
    expect(toResourcePointer('/containers/0/securityContext/runAsNonRoot')).toBe('/spec/predictor/model/securityContext/runAsNonRoot');
    expect(toResourcePointer('/securityContext')).toBe('/spec/predictor/securityContext');
  });

  it('discovers pod specs in unknown kinds by shape, and not in look-alikes', () => {
    const refs = findPodSpecs(one(`apiVersion: x.io/v1\nkind: Thing\nmetadata: {name: t}\nspec:\n  a: [{pod: {containers: [{name: c, image: i}]}}]\n  b: {containers: [{name: only-name}]}\n  c: {containers: []}\n`));
    expect(refs.map((r) => [r.podSpecPath, r.discovered])).toEqual([['/spec/a/0/pod', true]]);
    expect(findPodSpecs(one('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n'))).toEqual([]);
  });

  it('keys kinds on the API group: a Knative Service has a pod spec, a core Service does not', () => {
    expect(findPodSpecs(one('apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: k}\nspec:\n  template:\n    spec:\n      containers: [{image: x}]\n')).map((r) => r.podSpecPath)).toEqual(['/spec/template/spec']);
    expect(findPodSpecs(one('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n'))).toEqual([]);
  });

  it('extends the table from config rows', () => {
    const table = DEFAULT_TABLE.extend(workloadRowsFromConfig([{ apiVersion: 'example.com/v1', kind: 'Model', podSpecs: ['/spec/pods/*', { podSpec: '/spec/single', containerObjects: ['main'] }] }]));
    const refs = findPodSpecs(one('apiVersion: example.com/v1\nkind: Model\nmetadata: {name: m}\nspec:\n  pods: {a: {containers: [{name: x, image: y}]}}\n  single: {main: {image: z}}\n'), table);
    expect(refs.map((r) => [r.podSpecPath, r.discovered, r.containers.map((c) => c.path)])).toEqual([
      ['/spec/pods/a', false, ['/spec/pods/a/containers/0']],
      ['/spec/single', false, ['/spec/single/main']],
    ]);
  });
});

describe('expand', () => {
  it('expands * over arrays and map keys, and skips missing branches', () => {
    const value = { a: [{ b: { x: 1, y: 2 } }, { c: 1 }], m: { 'k/1': { b: {} } } };
    expect(expand(value, '/a/*/b/*')).toEqual(['/a/0/b/x', '/a/0/b/y']);
    expect(expand(value, '/m/*/b')).toEqual(['/m/k~11/b']);
    expect(expand(value, '/nope/*')).toEqual([]);
  });
});
