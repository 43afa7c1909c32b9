import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, computeMatrix, diffMatrices, modelServerFinding, opensModelServer } from '../../src/netpol/index.js';

const pods = `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ml, labels: {app: client}}
spec: {containers: [{name: c, image: curl}]}
---
apiVersion: v1
kind: Pod
metadata: {name: triton, namespace: ml, labels: {app: triton}}
spec: {containers: [{name: s, image: nvcr.io/nvidia/tritonserver:24.01-py3}]}`;
const ingress = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: triton, namespace: ml}
spec:
  podSelector: {matchLabels: {app: triton}}
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}], ports: [${ports}]}]`;

const matrix = (yaml: string) => {
  const loaded = loadText('in.yaml', yaml);
  const model = buildModel(loaded.resources, 'np-guard');
  expect(model.errors).toEqual([]);
  return computeMatrix(model, loaded.resources);
};

describe('netpol diff', () => {
  it('reports changed pairs with what they newly open, and flags model servers', () => {
    const entries = diffMatrices(matrix(`${pods}\n---\n${ingress('{port: 8000}')}`), matrix(`${pods}\n---\n${ingress('{port: 8000}, {port: 8001}')}`));
    expect(entries.map((e) => [e.kind, e.src, e.dst, e.before, e.after, e.opened.toString(), opensModelServer(e)])).toEqual([['changed', 'ml/client[Pod]', 'ml/triton[Pod]', 'TCP 8000', 'TCP 8000-8001', 'TCP 8001', true]]);
    expect(entries.filter(opensModelServer).map(modelServerFinding).map((f) => [f.checkId, f.severity, f.message])).toEqual([
      ['NETPOL_DIFF_OPENS_MODEL_SERVER', 'high', 'ml/client[Pod] => ml/triton[Pod] (triton) newly allows TCP 8001 (changed: TCP 8000 -> TCP 8000-8001)'],
    ]);
  });

  it('reports removed and added pairs; removing never opens anything', () => {
    const entries = diffMatrices(matrix(pods), matrix(`${pods}\n---\n${ingress('{port: 8000}')}`));
    expect(entries.map((e) => [e.kind, e.src, e.dst, e.after, opensModelServer(e)])).toEqual([
      ['removed', '0.0.0.0-255.255.255.255[External]', 'ml/triton[Pod]', 'No Connections', false],
      ['changed', 'ml/client[Pod]', 'ml/triton[Pod]', 'TCP 8000', false],
    ]);
  });
});
