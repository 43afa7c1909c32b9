import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

/**
 * End-to-end cases for rules that are neither posture checks (test/checks/e2eCases.ts) nor produced
 * by a corpus the behaviour snapshot runs: the CLI as a user pipes YAML into it.
 */
interface Report {
  findings: Array<{ checkId: string; path?: string; message: string; location?: { line: number; column: number } }>;
}
const findings = (args: string[], input: string, only: string): Array<[string, string | undefined, string | undefined, string]> => {
  const run = palisade([...args, '-', '--format', 'json', '--fail-on', 'none'], { input });
  expect([run.status, run.stderr]).toEqual([0, '']);
  return (JSON.parse(run.stdout) as Report).findings
    .filter((f) => f.checkId === only)
    .map((f) => [f.checkId, f.path, f.location && `${f.location.line}:${f.location.column}`, f.message]);
};

describe('rule cases through the CLI', () => {
  it('WORKLOAD_NOT_EVALUABLE: an Argo template\'s podSpecPatch is applied by the controller at run time, so the pod it makes is not known', () => {
    const workflow = `apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: train, namespace: ml}
spec:
  entrypoint: train
  templates:
  - name: train
    container: {image: "python:3.12", command: [python, train.py]}
    podSpecPatch: '{"hostPID": true}'
`;
    const [finding, ...rest] = findings(['audit'], workflow, 'WORKLOAD_NOT_EVALUABLE');
    expect(rest).toEqual([]);
    expect(finding?.slice(0, 3)).toEqual(['WORKLOAD_NOT_EVALUABLE', '/spec/templates/0/podSpecPatch', '9:5']);
  });

  it('WORKLOAD_MALFORMED: a Pod whose spec is a sequence is named with file:line:column, and the other documents are still checked', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: broken}
spec:
  - containers:
  - name: main
    image: alpine
---
apiVersion: v1
kind: Pod
metadata: {name: sound}
spec:
  containers: [{name: main, image: "alpine:3.20", securityContext: {privileged: true}}]
`;
    expect(findings(['audit'], yaml, 'WORKLOAD_MALFORMED').map((f) => f.slice(0, 3))).toEqual([['WORKLOAD_MALFORMED', '/spec', '4:1']]);
    expect(findings(['audit'], yaml, 'PSS_BASELINE_PRIVILEGED').map((f) => f.slice(0, 3))).toEqual([['PSS_BASELINE_PRIVILEGED', '/spec/containers/0/securityContext/privileged', '13:69']]);
    // `palisade pss` says so too (was: "no findings" for the broken Pod, a silent pass).
    expect(findings(['pss'], yaml, 'WORKLOAD_MALFORMED').map((f) => f.slice(0, 3))).toEqual([['WORKLOAD_MALFORMED', '/spec', '4:1']]);
    expect(findings(['pss'], yaml, 'PSS_BASELINE_PRIVILEGED').map((f) => f.slice(0, 3))).toEqual([['PSS_BASELINE_PRIVILEGED', '/spec/containers/0/securityContext/privileged', '13:69']]);
  });

  it('NETPOL_RULE_SHADOWED: an ingress rule that a broader rule of the same policy already allows', () => {
    const yaml = `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec: {containers: [{name: c, image: "busybox:1.36"}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: two-rules, namespace: other}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {}}]
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 80}]
`;
    const expected = [['NETPOL_RULE_SHADOWED', undefined, '13:5', 'NetworkPolicy other/two-rules: ingress rule #2 is covered by ingress rule #1']];
    expect(findings(['netpol', 'lint'], yaml, 'NETPOL_RULE_SHADOWED')).toEqual(expected);
    expect(findings(['audit'], yaml, 'NETPOL_RULE_SHADOWED')).toEqual(expected);
  });
});
