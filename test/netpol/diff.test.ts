import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, computeMatrix, diffMatrices, formatDiffCsv, formatDiffMd, formatDiffTxt, modelServerFinding, opensModelServer } from '../../src/netpol/index.js';

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

  it('csv and md are np-guard diff layouts; the layered engine adds the added and removed columns, txt says them for a changed pair', () => {
    const rows = [
      { src: 'ml/a', dst: 'ml/b', kind: 'changed', before: 'TCP 80', after: 'TCP 80,UDP 53', added: 'UDP 53' },
      { src: 'ml/a', dst: 'ml/c', kind: 'removed', before: 'TCP 1,2', after: 'No Connections', removed: 'TCP 1,2' },
    ];
    expect(formatDiffCsv(rows)).toBe('diff-type,source,destination,dir1,dir2\nchanged,ml/a,ml/b,TCP 80,"TCP 80,UDP 53"\nremoved,ml/a,ml/c,"TCP 1,2",No Connections\n');
    expect(formatDiffCsv(rows, true)).toBe('diff-type,source,destination,dir1,dir2,added,removed\nchanged,ml/a,ml/b,TCP 80,"TCP 80,UDP 53",UDP 53,\nremoved,ml/a,ml/c,"TCP 1,2",No Connections,,"TCP 1,2"\n');
    expect(formatDiffMd([{ ...rows[0]!, after: 'TCP 80|x' }])).toBe('| diff-type | source | destination | dir1 | dir2 |\n|-----------|--------|-------------|------|------|\n| changed | ml/a | ml/b | TCP 80 | TCP 80\\|x |\n');
    expect(formatDiffTxt(rows)).toBe(
      'Connectivity diff:\ndiff-type: changed, source: ml/a, destination: ml/b, dir1: TCP 80, dir2: TCP 80,UDP 53, added: UDP 53\ndiff-type: removed, source: ml/a, destination: ml/c, dir1: TCP 1,2, dir2: No Connections\n',
    );
  });
});
