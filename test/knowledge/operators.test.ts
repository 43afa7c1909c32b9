import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { operatorPodLabels } from '../../src/knowledge/index.js';
import { buildModel, computeMatrix, toConnections } from '../../src/netpol/index.js';

// KubeRay's labelPod (ray-operator/controllers/ray/common/pod.go): every Ray pod gets
// ray.io/is-ray-node=yes, ray.io/cluster, ray.io/node-type, ray.io/group (the worker group's
// groupName; `headgroup` for the head), ray.io/identifier=CheckLabel(<cluster>-<type>) and the
// app.kubernetes.io name/created-by pair; keys the template already sets are left as written.

const rayCluster = (name: string, headLabels = '{}'): Record<string, unknown> =>
  loadText(
    'rc.yaml',
    `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: ${name}, namespace: ml}
spec:
  headGroupSpec: {template: {metadata: {labels: ${headLabels}}, spec: {containers: [{name: head, image: "rayproject/ray:2.9.0"}]}}}
  workerGroupSpecs:
  - groupName: gpu-workers
    template: {spec: {containers: [{name: w, image: "rayproject/ray:2.9.0-gpu"}]}}
`,
  ).resources[0]!.object;

describe('operatorPodLabels (KubeRay)', () => {
  it('labels the head and a worker group as labelPod does', () => {
    const object = rayCluster('rc');
    expect(operatorPodLabels(object, 'ray.io', 'rc', '/spec/headGroupSpec/template/spec', {})).toEqual({
      'ray.io/is-ray-node': 'yes',
      'ray.io/cluster': 'rc',
      'ray.io/node-type': 'head',
      'ray.io/group': 'headgroup',
      'ray.io/identifier': 'rc-head',
      'app.kubernetes.io/name': 'kuberay',
      'app.kubernetes.io/created-by': 'kuberay-operator',
    });
    expect(operatorPodLabels(object, 'ray.io', 'rc', '/spec/workerGroupSpecs/0/template/spec', { team: 'a' })).toEqual({
      team: 'a',
      'ray.io/is-ray-node': 'yes',
      'ray.io/cluster': 'rc',
      'ray.io/node-type': 'worker',
      'ray.io/group': 'gpu-workers',
      'ray.io/identifier': 'rc-worker',
      'app.kubernetes.io/name': 'kuberay',
      'app.kubernetes.io/created-by': 'kuberay-operator',
    });
  });

  it('keeps what the template writes, cuts the identifier to its last 63 characters, and leaves other groups alone', () => {
    const long = 'a'.repeat(70);
    const object = rayCluster(long);
    const head = operatorPodLabels(object, 'ray.io', long, '/spec/headGroupSpec/template/spec', { 'ray.io/group': 'mine', 'app.kubernetes.io/name': 'llm' });
    expect([head['ray.io/group'], head['app.kubernetes.io/name'], head['ray.io/identifier']]).toEqual(['mine', 'llm', `${'a'.repeat(58)}-head`]);
    expect(head['ray.io/identifier']!.length).toBe(63);
    // CheckLabel: a value that would start with punctuation after the cut starts with `r` instead
    const dashed = `${'b'.repeat(8)}-${'c'.repeat(59)}`;
    expect(operatorPodLabels(rayCluster(dashed), 'ray.io', dashed, '/spec/headGroupSpec/template/spec', {})['ray.io/identifier']).toBe(`${'c'.repeat(58)}-head`);
    expect(operatorPodLabels(object, 'apps', 'd', '/spec/template/spec', { app: 'd' })).toEqual({ app: 'd' });
  });
});

describe('netpol matrix sees the labels KubeRay puts on its pods', () => {
  it('a NetworkPolicy that selects ray.io/group isolates that worker group, as the audit inventory reads it', () => {
    const yaml = `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: ml}
spec:
  headGroupSpec: {template: {spec: {containers: [{name: head, image: "rayproject/ray:2.9.0", ports: [{containerPort: 6379}]}]}}}
  workerGroupSpecs:
  - groupName: gpu
    template: {spec: {containers: [{name: w, image: "rayproject/ray:2.9.0-gpu", ports: [{containerPort: 8000}]}]}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: gpu-from-head-only, namespace: ml}
spec:
  podSelector: {matchLabels: {ray.io/group: gpu}}
  ingress:
  - from: [{podSelector: {matchLabels: {ray.io/node-type: head}}}]
`;
    const loaded = loadText('in.yaml', yaml);
    const model = buildModel(loaded.resources, 'cluster');
    expect(model.errors).toEqual([]);
    const lines = toConnections(computeMatrix(model, loaded.resources)).map((c) => `${c.src} => ${c.dst} : ${c.conns}`);
    expect(lines.filter((l) => l.includes('=> ml/rc[RayCluster]/1'))).toEqual(['ml/rc[RayCluster]/0 => ml/rc[RayCluster]/1 : All Connections']);
    expect(lines.filter((l) => l.includes('=> ml/rc[RayCluster]/0')).length).toBeGreaterThan(1);
  });
});

// KServe (components/predictor.go buildObjectMeta, reconcileWorker; deployment_reconciler.go):
// the InferenceService's labels, then the component's `labels`, then
// serving.kserve.io/inferenceservice=<name> and component=<component> over both; in Standard
// (RawDeployment) mode also app=isvc.<name>-<component>.
describe('operatorPodLabels (KServe)', () => {
  const isvc = (annotations = '{}'): Record<string, unknown> =>
    loadText(
      'isvc.yaml',
      `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: ml, labels: {team: risk, component: mine}, annotations: ${annotations}}
spec:
  predictor:
    labels: {team: fraud-ml, tier: gpu}
    sklearn: {storageUri: "gs://m/fraud"}
    workerSpec: {containers: [{name: w, image: "vllm/vllm-openai:v0.6.3"}]}
  transformer:
    containers: [{name: t, image: "example.com/t:1"}]
`,
    ).resources[0]!.object;
  const template = { team: 'risk', component: 'mine' };

  it('labels each component as the controller does; app only where the annotation asks for Standard mode', () => {
    expect(operatorPodLabels(isvc(), 'serving.kserve.io', 'fraud', '/spec/predictor', template)).toEqual({ team: 'fraud-ml', tier: 'gpu', component: 'predictor', 'serving.kserve.io/inferenceservice': 'fraud' });
    expect(operatorPodLabels(isvc(), 'serving.kserve.io', 'fraud', '/spec/transformer', template)).toEqual({ team: 'risk', component: 'transformer', 'serving.kserve.io/inferenceservice': 'fraud' });
    expect(operatorPodLabels(isvc(), 'serving.kserve.io', 'fraud', '/spec/predictor/workerSpec', template)).toEqual({ team: 'fraud-ml', tier: 'gpu', component: 'predictor', 'serving.kserve.io/inferenceservice': 'fraud' });
    const raw = isvc('{serving.kserve.io/deploymentMode: RawDeployment}');
    expect(operatorPodLabels(raw, 'serving.kserve.io', 'fraud', '/spec/predictor', template).app).toBe('isvc.fraud-predictor');
    expect(operatorPodLabels(raw, 'serving.kserve.io', 'fraud', '/spec/predictor/workerSpec', template).app).toBe('isvc.fraud-predictor-worker');
    expect(operatorPodLabels(isvc('{serving.kserve.io/deploymentMode: Standard}'), 'serving.kserve.io', 'fraud', '/spec/transformer', template).app).toBe('isvc.fraud-transformer');
    expect(operatorPodLabels(isvc('{serving.kserve.io/deploymentMode: Serverless}'), 'serving.kserve.io', 'fraud', '/spec/predictor', template).app).toBeUndefined();
  });

  it('a NetworkPolicy that selects serving.kserve.io/inferenceservice (as KServe\'s docs write it) selects the predictor (was: nothing)', () => {
    const yaml = `apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: ml}
spec: {predictor: {sklearn: {storageUri: "gs://m/fraud", ports: [{containerPort: 8080}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: fraud-closed, namespace: ml}
spec:
  podSelector: {matchLabels: {serving.kserve.io/inferenceservice: fraud, component: predictor}}
  policyTypes: [Ingress]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ml}
spec: {containers: [{name: c, image: "busybox:1.36"}]}
`;
    const loaded = loadText('in.yaml', yaml);
    const model = buildModel(loaded.resources, 'cluster');
    const pairs = toConnections(computeMatrix(model, loaded.resources)).map((c) => `${c.src} => ${c.dst}`);
    expect(pairs.filter((p) => p.includes('fraud'))).toEqual(['ml/fraud[InferenceService] => 0.0.0.0-255.255.255.255[External]', 'ml/fraud[InferenceService] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]', 'ml/fraud[InferenceService] => ml/client[Pod]']);
  });
});
