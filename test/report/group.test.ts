import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/types.js';
import { groupFindings } from '../../src/report/run/index.js';
import { palisade } from '../helpers/cli.js';

const resource = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'b' };
const base = (over: Partial<Finding>): Finding => ({ checkId: 'X', severity: 'high', title: 't', message: 'm', resource, location: { file: 'f.yaml', line: 1, column: 1 }, ...over });

describe('groupFindings: one finding per check, object and subject', () => {
  it('keeps the findings of two subjects of one binding apart (was: merged under the first subject)', () => {
    const grouped = groupFindings([base({ message: 'User a can x', subject: { kind: 'User', name: 'a' } }), base({ message: 'Group g can x', subject: { kind: 'Group', name: 'g' } }), base({ message: 'User a can y', subject: { kind: 'User', name: 'a' } })]);
    expect(grouped.map((f) => [f.subject?.name, f.message, f.occurrences?.length ?? 1])).toEqual([
      ['a', 'User a can x (and 1 more occurrence)', 2],
      ['g', 'Group g can x', 1],
    ]);
  });

  it('names the other containers, else the other paths, else counts the occurrences (was: "(also path (no path))")', () => {
    const containers = groupFindings([base({ message: 'c1 bad', container: 'c1' }), base({ message: 'c2 bad', container: 'c2' }), base({ message: 'c3 bad', container: 'c3' })]);
    expect(containers.map((f) => [f.message, f.container])).toEqual([['c1 bad (also containers "c2", "c3")', undefined]]);
    const paths = groupFindings([base({ message: 'head', path: '/spec/head' }), base({ message: 'worker', path: '/spec/workers/0' })]);
    expect(paths.map((f) => f.message)).toEqual(['head (also path /spec/workers/0)']);
    const bare = groupFindings([base({ message: 'one' }), base({ message: 'two' }), base({ message: 'three' })]);
    expect(bare.map((f) => [f.message, f.occurrences?.map((o) => o.message)])).toEqual([['one (and 2 more occurrences)', ['one', 'two', 'three']]]);
    const same = groupFindings([base({ message: 'same', path: '/a' }), base({ message: 'same', path: '/b' })]);
    expect(same.map((f) => f.message)).toEqual(['same']);
  });
});

describe('network lint findings carry the pod spec they are about', () => {
  const rayCluster = `apiVersion: v1
kind: Namespace
metadata: {name: ray}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: unrelated, namespace: ray}
spec:
  podSelector: {matchLabels: {app: other}}
  policyTypes: [Ingress]
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: ray}
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers:
        - name: head
          image: rayproject/ray:2.9.0
          ports: [{containerPort: 8265, name: dashboard}]
  workerGroupSpecs:
  - groupName: w
    rayStartParams: {}
    template:
      spec:
        containers:
        - name: worker
          image: rayproject/ray:2.9.0
`;

  it('points each occurrence at its group\'s pod spec, located there when the template has no metadata (was: no path, the document start)', () => {
    const run = palisade(['audit', '-', '--format', 'json'], { input: rayCluster });
    const report = JSON.parse(run.stdout) as { findings: Finding[] };
    const egress = report.findings.find((f) => f.checkId === 'NETPOL_MODEL_SERVER_EGRESS_ANYWHERE')!;
    expect(egress.path).toBe('/spec/headGroupSpec/template/spec');
    expect(egress.message).toBe('ray/rc[RayCluster]/0 (ray) may send traffic to every external address (also path /spec/workerGroupSpecs/0/template/spec)');
    expect(egress.occurrences?.map((o) => [o.path, o.location?.line, o.location?.column])).toEqual([
      ['/spec/headGroupSpec/template/spec', 19, 7],
      ['/spec/workerGroupSpecs/0/template/spec', 28, 7],
    ]);
  });
});
