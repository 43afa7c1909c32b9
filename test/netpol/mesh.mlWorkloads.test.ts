import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { collectTopology, endpointLabel } from '../../src/netpol/layers/endpoints.js';
import { explainMesh, meshPeers, namesWorkload } from '../../src/netpol/layers/explain.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/**
 * The layered engine reads the pods of ML workloads from the workloads table, as the NetworkPolicy
 * engine does: a RayCluster's head and worker groups (with KubeRay's ray.io labels), a KServe
 * predictor (its container object), each pod spec one workload (was: only the built-in kinds, so a
 * Calico or Istio answer never mentioned a model server that was not a Deployment).
 */
const input = `apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: batch, namespace: ml}
spec:
  headGroupSpec:
    template: {spec: {containers: [{name: ray-head, image: "rayproject/ray:2.52.0", ports: [{name: dashboard, containerPort: 8265}]}]}}
  workerGroupSpecs:
  - {groupName: gpu, replicas: 3, template: {spec: {serviceAccountName: worker, containers: [{name: ray-worker, image: "rayproject/ray:2.52.0"}]}}}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: fraud, namespace: ml}
spec:
  predictor:
    serviceAccountName: fraud-sa
    sklearn: {storageUri: "gs://models/fraud", ports: [{name: http1, containerPort: 8080}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: ml}
spec: {template: {metadata: {labels: {app: client}}, spec: {containers: [{name: c, image: "busybox:1.36"}]}}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: default-deny}
spec: {order: 2000, selector: all(), types: [Ingress, Egress]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: ray, namespace: ml}
spec:
  order: 100
  selector: ray.io/cluster == 'batch'
  types: [Ingress, Egress]
  ingress: [{action: Allow, source: {selector: "ray.io/cluster == 'batch' || app == 'client'"}, protocol: TCP, destination: {ports: [dashboard]}}]
  egress: [{action: Allow, destination: {selector: ray.io/node-type == 'head'}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: client, namespace: ml}
spec: {order: 100, selector: app == 'client', types: [Egress], egress: [{action: Allow}]}
`;

describe('the layered engine sees the pods of ML workloads', () => {
  it('one workload per pod spec, at most two pods each, with the operator\'s labels, named ports and service accounts', () => {
    const topology = collectTopology(loadText('in.yaml', input).resources);
    expect(topology.endpoints.map((ep) => [ep.name, ep.workload, ep.workloadKind, ep.labels['ray.io/node-type'] ?? ep.labels.app ?? '', ep.ports.map((p) => `${p.name}:${p.port}`).join(','), ep.serviceAccount])).toEqual([
      ['ml/batch/0-1', 'ml/batch/0', 'RayCluster', 'head', 'dashboard:8265', 'default'],
      ['ml/batch/1-1', 'ml/batch/1', 'RayCluster', 'worker', '', 'worker'],
      ['ml/batch/1-2', 'ml/batch/1', 'RayCluster', 'worker', '', 'worker'],
      ['ml/fraud-1', 'ml/fraud', 'InferenceService', '', 'http1:8080', 'fraud-sa'],
      ['ml/client-1', 'ml/client', 'Deployment', 'client', '', 'default'],
    ]);
  });

  it('Calico decides for them as for any pod: the workers and the client reach the head dashboard, by the named port', () => {
    const model = buildMeshModel(loadText('in.yaml', input).resources);
    expect(model.errors).toEqual([]);
    const pairs = meshMatrix(model, 'deployment')
      .filter((c) => !c.src.startsWith('ip:') && !c.dst.startsWith('ip:'))
      .map((c) => `${c.src} -> ${c.dst}: ${JSON.stringify(c.conns)}`);
    expect(pairs).toEqual([
      'ml/batch/1 -> ml/batch/0: [{"protocol":"6","ports":"8265"}]',
      'ml/client -> ml/batch/0: [{"protocol":"6","ports":"8265"}]',
    ]);
  });
});

describe('one pod spec of several is named as the NetworkPolicy engine names it', () => {
  // CONVENTIONS.md names a workload by its owner (every pod of a RayCluster is owned by the RayCluster), which
  // cannot tell a head from its workers; both engines add the pod spec's index in the workloads table's order.
  it('explain and verify name the workloads ns/name[Kind]/<index>, the NetworkPolicy engine\'s peer ids (was: ns/name/<index>[Kind]); the matrix writes ns/name/<index>', () => {
    const resources = loadText('in.yaml', input).resources;
    const mesh = buildMeshModel(resources);
    const labels = [...new Set(mesh.topology.endpoints.map((ep) => endpointLabel(ep, 'deployment')))].sort();
    expect(labels).toEqual(['ml/batch[RayCluster]/0', 'ml/batch[RayCluster]/1', 'ml/client[Deployment]', 'ml/fraud[InferenceService]']);
    expect(labels).toEqual(buildModel(resources).pods.map((p) => p.id).sort());
    expect([...new Set(mesh.topology.endpoints.map((ep) => ep.workload))].sort()).toEqual(['ml/batch/0', 'ml/batch/1', 'ml/client', 'ml/fraud']);
  });

  it('--from/--to take the NetworkPolicy engine\'s name of a pod spec, and the explanation names both ends so', () => {
    const mesh = buildMeshModel(loadText('in.yaml', input).resources);
    expect(meshPeers(mesh, 'ml/batch[RayCluster]/1').map((ep) => ('name' in ep ? ep.name : ''))).toEqual(['ml/batch/1-1', 'ml/batch/1-2']);
    expect(meshPeers(mesh, 'ml/batch/1').map((ep) => ('name' in ep ? ep.name : ''))).toEqual(['ml/batch/1-1', 'ml/batch/1-2']);
    expect(meshPeers(mesh, 'ml/batch[RayCluster]/7')).toEqual([]);
    expect(namesWorkload(mesh, 'ml/batch[RayCluster]/0')).toBe(true);
    const [worker] = meshPeers(mesh, 'ml/batch[RayCluster]/1');
    const [head] = meshPeers(mesh, 'ml/batch[RayCluster]/0');
    const e = explainMesh(mesh, worker!, head!, { protocol: 6, port: 8265, text: '8265/TCP' }, undefined, 'deployment');
    expect([e.src, e.dst, e.pods, e.allowed]).toEqual(['ml/batch[RayCluster]/1', 'ml/batch[RayCluster]/0', { src: 'ml/batch/1-1', dst: 'ml/batch/0-1' }, true]);
  });
});

describe('the layered engine holds the NetworkPolicies KubeRay creates', () => {
  it('a RayCluster with spec.networkPolicy under Calico: a head rule of KubeRay\'s policy (order 1000, as Calico reads Kubernetes policies) admits the client', () => {
    const base = input.replace(`source: {selector: "ray.io/cluster == 'batch' || app == 'client'"}`, `source: {selector: "ray.io/cluster == 'batch'"}`);
    const pairs = (yaml: string): string[] =>
      meshMatrix(buildMeshModel(loadText('in.yaml', yaml).resources), 'deployment')
        .filter((c) => !c.src.startsWith('ip:') && !c.dst.startsWith('ip:'))
        .map((c) => `${c.src} -> ${c.dst}`);
    expect(pairs(base)).toEqual(['ml/batch/1 -> ml/batch/0']);
    expect(pairs(base.replace('  headGroupSpec:', '  networkPolicy: {mode: DenyAllIngress}\n  headGroupSpec:'))).toEqual(['ml/batch/1 -> ml/batch/0']);
    const admitted = base.replace('  headGroupSpec:', '  networkPolicy: {mode: DenyAllIngress, head: {ingressRules: [{from: [{podSelector: {matchLabels: {app: client}}}]}]}}\n  headGroupSpec:');
    expect(pairs(admitted)).toEqual(['ml/batch/1 -> ml/batch/0', 'ml/client -> ml/batch/0']);
  });
});
