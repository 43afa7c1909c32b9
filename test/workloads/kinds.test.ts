import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { loadText } from '../../src/core/load.js';
import { evaluationSpec, findPodSpecs } from '../../src/workloads/index.js';

// Shapes written from the upstream API types: Argo Workflows' Template and WorkflowSpec
// (pkg/apis/workflow/v1alpha1, documented in sdks/java/client/docs/IoArgoprojWorkflowV1alpha1Template.md),
// OpenShift's DeploymentConfigSpec (apps.openshift.io/v1, template: PodTemplateSpec), Kaito's
// InferenceSet (api/v1beta1/inferenceset_types.go) and KServe's LLMInferenceService (pkg/apis/serving/v1alpha1).

const one = (yaml: string) => loadText('t.yaml', yaml).resources[0]!.object;
const refsOf = (yaml: string) => findPodSpecs(one(yaml)).map((r) => [r.podSpecPath, r.containers.map((c) => `${c.kind}:${c.name}@${c.path}`)]);
const run = (yaml: string) => audit(loadText('t.yaml', yaml), { now: new Date('2026-01-01') });
const ids = (yaml: string, only: string[]) =>
  run(yaml)
    .findings.filter((f) => only.includes(f.checkId))
    .map((f) => [f.checkId, f.path, f.location && `${f.location.line}:${f.location.column}`]);

const workflow = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: wf-}
spec:
  entrypoint: main
  hostNetwork: true
  serviceAccountName: runner
  volumes:
  - {name: host, hostPath: {path: /var/run}}
  templates:
  - name: main
    steps:
    - - {name: a, template: train}
  - name: train
    metadata: {labels: {stage: train}}
    securityContext: {runAsNonRoot: true}
    container: {image: "python:3.12", command: [python, train.py]}
    initContainers:
    - {name: fetch, image: "alpine:3.20"}
    sidecars:
    - {name: cache, image: "redis:7"}
  - name: score
    script: {image: "python:3.12", source: "print(1)"}
  - name: multi
    volumes:
    - {name: scratch, emptyDir: {}}
    containerSet:
      containers:
      - {name: a, image: "busybox:1.36"}
      - {name: b, image: "busybox:1.36"}
  - name: patched
    podSpecPatch: '{"containers":[{"name":"main","securityContext":{"privileged":true}}]}'
    container: {image: "busybox:1.36"}
  - name: apply
    resource: {action: create, manifest: "kind: ConfigMap"}
`;

describe('Argo Workflows kinds', () => {
  it('finds container, script, containerSet, initContainers and sidecars; steps and resource templates run no user pod', () => {
    expect(refsOf(workflow)).toEqual([
      ['/spec/templates/1', ['initContainer:fetch@/spec/templates/1/initContainers/0', 'container:cache@/spec/templates/1/sidecars/0', 'container:main@/spec/templates/1/container']],
      ['/spec/templates/2', ['container:main@/spec/templates/2/script']],
      ['/spec/templates/3', ['container:a@/spec/templates/3/containerSet/containers/0', 'container:b@/spec/templates/3/containerSet/containers/1']],
      ['/spec/templates/4', ['container:main@/spec/templates/4/container']],
    ]);
  });

  it('gives each template pod the workflow-level pod fields it does not set, and maps them back to where they are written', () => {
    const refs = findPodSpecs(one(workflow));
    const multi = refs.find((r) => r.podSpecPath === '/spec/templates/3')!;
    expect(multi.spec.hostNetwork).toBe(true);
    expect(multi.spec.serviceAccountName).toBe('runner');
    expect(multi.spec.volumes).toEqual([{ name: 'scratch', emptyDir: {} }, { name: 'host', hostPath: { path: '/var/run' } }]);
    expect(multi.metadataPath).toBeUndefined();
    expect(refs[0]!.metadataPath).toBe('/spec/templates/1/metadata');
    expect(refs[0]!.metadata.labels).toEqual({ stage: 'train' });
    const { toResourcePointer } = evaluationSpec(multi);
    expect(toResourcePointer('/volumes/0')).toBe('/spec/templates/3/volumes/0');
    expect(toResourcePointer('/volumes/1/hostPath')).toBe('/spec/volumes/0/hostPath');
    expect(toResourcePointer('/hostNetwork')).toBe('/spec/hostNetwork');
    expect(toResourcePointer('/containers/1/securityContext')).toBe('/spec/templates/3/containerSet/containers/1/securityContext');
    // the template's own securityContext wins over the workflow's
    expect(refs[0]!.spec.securityContext).toEqual({ runAsNonRoot: true });
  });

  it('judges every template pod for the workflow-level hostNetwork and hostPath, pointing at the workflow spec', () => {
    const findings = ids(workflow, ['PSS_BASELINE_HOST_NAMESPACES', 'PSS_RESTRICTED_VOLUME_TYPES', 'HOST_PATH_VOLUME']);
    // four template pods, each judged; the findings on the one field they share are said once per field
    expect(findings).toEqual([
      ['PSS_BASELINE_HOST_NAMESPACES', '/spec/hostNetwork', '6:3'],
      ['PSS_RESTRICTED_VOLUME_TYPES', '/spec/volumes/0/hostPath', '9:18'],
      ['HOST_PATH_VOLUME', '/spec/volumes/0/hostPath', '9:18'],
    ]);
  });

  it('reports podSpecPatch as not evaluable, once per field', () => {
    expect(ids(workflow, ['WORKLOAD_NOT_EVALUABLE', 'WORKLOAD_INCOMPLETE'])).toEqual([['WORKLOAD_NOT_EVALUABLE', '/spec/templates/4/podSpecPatch', '32:5']]);
    const wide = `apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: t}
spec:
  podSpecPatch: '{"hostPID": true}'
  templates:
  - {name: a, container: {image: "busybox:1.36"}}
  - {name: b, container: {image: "busybox:1.36"}}
`;
    const notes = run(wide).findings.filter((f) => f.checkId === 'WORKLOAD_NOT_EVALUABLE');
    expect(notes.map((f) => [f.path, f.message])).toEqual([
      ['/spec/podSpecPatch', 'podSpecPatch at /spec/podSpecPatch is applied to every pod the workflow runs at run time and cannot be evaluated; the verdicts hold only for the fields it leaves unchanged'],
    ]);
  });

  it('reads CronWorkflow templates under workflowSpec and ClusterWorkflowTemplate like WorkflowTemplate', () => {
    expect(refsOf(`apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  workflowSpec:\n    hostPID: true\n    templates:\n    - {name: a, container: {image: "busybox:1.36"}}\n`)).toEqual([
      ['/spec/workflowSpec/templates/0', ['container:main@/spec/workflowSpec/templates/0/container']],
    ]);
    expect(refsOf(`apiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata: {name: c}\nspec:\n  templates:\n  - {name: a, script: {image: "python:3.12", source: x}}\n`)).toEqual([
      ['/spec/templates/0', ['container:main@/spec/templates/0/script']],
    ]);
  });

  it('a template container without image is incomplete (Argo needs one; templateDefaults are not read)', () => {
    expect(ids(`apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\nspec:\n  templates:\n  - {name: a, container: {command: [sh]}}\n`, ['WORKLOAD_INCOMPLETE'])).toEqual([['WORKLOAD_INCOMPLETE', '/spec/templates/0/container', '6:15']]);
  });
});

describe('OpenShift, Kaito, KServe rows', () => {
  it('reads a DeploymentConfig in apps.openshift.io and in the legacy core v1 group', () => {
    for (const apiVersion of ['apps.openshift.io/v1', 'v1']) {
      expect(refsOf(`apiVersion: ${apiVersion}\nkind: DeploymentConfig\nmetadata: {name: d}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: [{name: app, image: "nginx:1.27"}]\n`)).toEqual([
        ['/spec/template/spec', ['container:app@/spec/template/spec/containers/0']],
      ]);
    }
  });

  it('reads a Kaito InferenceSet template and no Workspace tuning template', () => {
    expect(refsOf(`apiVersion: kaito.sh/v1beta1\nkind: InferenceSet\nmetadata: {name: s}\nspec:\n  replicas: 2\n  template:\n    resource: {instanceType: Standard_NC24ads_A100_v4}\n    inference:\n      template:\n        spec:\n          containers: [{name: custom, image: "vllm/vllm-openai:v0.6.3"}]\n`)).toEqual([
      ['/spec/template/inference/template/spec', ['container:custom@/spec/template/inference/template/spec/containers/0']],
    ]);
  });

  it('KServe overrides (workerSpec, LLMInferenceService templates) are not incomplete pods', () => {
    const isvc = `apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\nmetadata: {name: i}\nspec:\n  predictor:\n    model: {modelFormat: {name: huggingface}, storageUri: "hf://m"}\n    workerSpec: {tensorParallelSize: 2, pipelineParallelSize: 2}\n`;
    expect(refsOf(isvc)).toEqual([['/spec/predictor', ['container:kserve-container@/spec/predictor/model']]]);
    expect(ids(isvc, ['WORKLOAD_INCOMPLETE'])).toEqual([]);
    const llm = `apiVersion: serving.kserve.io/v1alpha1\nkind: LLMInferenceService\nmetadata: {name: l}\nspec:\n  model: {uri: "hf://m"}\n  template:\n    containers: [{name: main, env: [{name: A, value: b}]}]\n  router:\n    scheduler:\n      tokenizer:\n        template: {containers: [{name: tok, image: "tok:1"}]}\n`;
    expect(refsOf(llm)).toEqual([
      ['/spec/template', ['container:main@/spec/template/containers/0']],
      ['/spec/router/scheduler/tokenizer/template', ['container:tok@/spec/router/scheduler/tokenizer/template/containers/0']],
    ]);
    expect(ids(llm, ['WORKLOAD_INCOMPLETE'])).toEqual([]);
  });
});

describe('incomplete pod specs are judged for what is there', () => {
  it('a Deployment without containers still gets its host namespaces, hostPath volume and service account judged, and says it is incomplete', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: ml}
spec:
  template:
    spec:
      hostPID: true
      volumes:
      - {name: docker, hostPath: {path: /var/run/docker.sock}}
`;
    const outcome = run(yaml);
    expect(outcome.results.map((r) => [r.podSpecPath, r.containers, r.allowed])).toEqual([['/spec/template/spec', [], false]]);
    expect(outcome.findings.map((f) => [f.checkId, f.path])).toEqual([
      ['PSS_BASELINE_HOST_NAMESPACES', '/spec/template/spec/hostPID'],
      ['PSS_RESTRICTED_VOLUME_TYPES', '/spec/template/spec/volumes/0/hostPath'],
      ['WORKLOAD_INCOMPLETE', '/spec/template/spec'],
      ['CREDENTIAL_MOUNT', '/spec/template/spec/volumes/0/hostPath/path'],
      ['HOST_PATH_VOLUME', '/spec/template/spec/volumes/0/hostPath'],
      ['NAMESPACE_WITHOUT_DEFAULT_DENY', '/metadata/namespace'],
      // settled once every file is read (a ServiceAccount object elsewhere may turn the token off)
      ['DEFAULT_SERVICE_ACCOUNT', '/spec/template/spec/automountServiceAccountToken'],
    ]);
    expect(outcome.findings.find((f) => f.checkId === 'WORKLOAD_INCOMPLETE')!.message).toBe(
      'the pod spec at /spec/template/spec is incomplete: it has no containers; the API server would refuse it, and only what is there was judged',
    );
  });

  it('a container without image is kept, judged, and named in the incomplete finding', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: app
    securityContext: {privileged: true}
  - name: ok
    image: "nginx:1.27"
`;
    const outcome = run(yaml);
    const incomplete = outcome.findings.filter((f) => f.checkId === 'WORKLOAD_INCOMPLETE');
    expect(incomplete.map((f) => [f.path, f.container, f.message])).toEqual([
      ['/spec/containers/0', 'app', 'the pod spec at /spec is incomplete: container "app" has no image; the API server would refuse it, and only what is there was judged'],
    ]);
    expect(outcome.findings.map((f) => [f.checkId, f.path])).toContainEqual(['PSS_BASELINE_PRIVILEGED', '/spec/containers/0/securityContext/privileged']);
  });

  it('a complete pod spec, a spec-less Pod and an object that is no workload say nothing of the kind', () => {
    expect(ids(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: "nginx:1.27"}]\n`, ['WORKLOAD_INCOMPLETE'])).toEqual([]);
    expect(ids(`apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n`, ['WORKLOAD_INCOMPLETE'])).toEqual([]);
    expect(ids(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n`, ['WORKLOAD_INCOMPLETE'])).toEqual([]);
  });
});
