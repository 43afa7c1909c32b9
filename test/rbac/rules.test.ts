import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, RBAC_RULES, runRbacRules } from '../../src/rbac/index.js';
import { palisade } from '../helpers/cli.js';

/**
 * One grant per risky permission of research/rbac.md (and the binding problems), each judged alone:
 * the exact findings of the RBAC rules, then the same files through `palisade audit` as a user runs it.
 */
function grant(name: string, rules: string, options: { cluster?: boolean; subject?: string } = {}): string {
  const role = options.cluster ? 'ClusterRole' : 'Role';
  const ns = options.cluster ? '' : ', namespace: team-a';
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: ${role}
metadata: {name: ${name}${ns}}
rules:
${rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${role}Binding
metadata: {name: ${name}${ns}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${role}, name: ${name}}
subjects: [${options.subject ?? '{kind: User, name: alice}'}]
`;
}
const configmaps = '- {apiGroups: [""], resources: [configmaps], verbs: [get]}';
const review = (roles: string): [string, string, number, string] => ['RBAC_REVIEW_NAMESPACE_ROLES', 'info', 1, `For namespace 'team-a', review its Roles (${roles}) and make sure their users are managed by the cloud IAM authenticator`];
const via = (name: string, cluster = false): string => (cluster ? `ClusterRoleBinding ${name} → ClusterRole ${name}` : `RoleBinding team-a/${name} → Role team-a/${name}`);

const CASES: Array<{ name: string; yaml: string; findings: Array<[string, string, number, string]> }> = [
  { name: 'crds', yaml: grant('crds', '- {apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [create]}', { cluster: true }), findings: [['RBAC_WRITE_CRDS', 'medium', 5, `User alice can create or change CustomResourceDefinitions cluster-wide via ${via('crds', true)}`]] },
  { name: 'debug', yaml: grant('debug', '- {apiGroups: [""], resources: [pods/ephemeralcontainers], verbs: [patch]}'), findings: [['RBAC_EPHEMERAL_CONTAINERS', 'high', 5, `User alice can add ephemeral containers to pods in namespace team-a via ${via('debug')}`], review('debug')] },
  { name: 'relabel', yaml: grant('relabel', '- {apiGroups: [""], resources: [namespaces], verbs: [patch]}', { cluster: true }), findings: [['RBAC_MODIFY_NAMESPACES', 'medium', 5, `User alice can update or patch namespaces cluster-wide via ${via('relabel', true)}`]] },
  { name: 'swap', yaml: grant('swap', '- {apiGroups: [""], resources: [pods], verbs: [update]}'), findings: [['RBAC_MODIFY_PODS', 'high', 5, `User alice can update or patch pods in namespace team-a via ${via('swap')}`], review('swap')] },
  { name: 'taint', yaml: grant('taint', '- {apiGroups: [""], resources: [nodes], verbs: [patch]}', { cluster: true }), findings: [['RBAC_NODE_TAMPERING', 'high', 5, `User alice can patch nodes cluster-wide via ${via('taint', true)}`]] },
  { name: 'proxy', yaml: grant('proxy', '- {apiGroups: [""], resources: [services/proxy], verbs: [get]}'), findings: [['RBAC_PROXY', 'medium', 5, `User alice can proxy to pods or services in namespace team-a via ${via('proxy')}`], review('proxy')] },
  { name: 'status', yaml: grant('status', '- {apiGroups: [""], resources: [pods/status], verbs: [patch]}'), findings: [review('status'), ['RBAC_WRITE_STATUS', 'low', 5, `User alice can write pods/status in namespace team-a via ${via('status')}`]] },
  { name: 'deployer', yaml: grant('deployer', '- {apiGroups: [apps], resources: [deployments], verbs: [create]}'), findings: [review('deployer'), ['RBAC_WRITE_WORKLOADS', 'high', 5, `User alice can create or change workload controllers in namespace team-a via ${via('deployer')}`]] },
  { name: 'secrets', yaml: grant('secrets', '- {apiGroups: [""], resources: [secrets], verbs: [create]}'), findings: [review('secrets'), ['RBAC_WRITE_SECRETS', 'high', 5, `User alice can create or change Secrets in namespace team-a via ${via('secrets')}`]] },
  {
    name: 'twice',
    yaml: `${grant('twice', configmaps)}---\n${grant('twice', '- {apiGroups: [""], resources: [configmaps], verbs: [list]}').split('---')[0]}`,
    findings: [['RBAC_DUPLICATE_OBJECT', 'low', 13, 'Role team-a/twice is defined twice; the later definition is used'], review('twice, twice')],
  },
  { name: 'anonymous', yaml: grant('anonymous', configmaps, { subject: '{kind: Group, name: system:unauthenticated}' }), findings: [['RBAC_ANONYMOUS_ACCESS', 'high', 11, `Group system:unauthenticated is a subject of ${via('anonymous')}: anonymous requests get its permissions`], review('anonymous')] },
  {
    name: 'cloud',
    yaml: 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: loader, namespace: team-a, annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::123456789012:role/model-bucket-reader"}}\n',
    findings: [['RBAC_CLOUD_IDENTITY', 'low', 1, 'ServiceAccount team-a/loader is tied to the AWS IAM role arn:aws:iam::123456789012:role/model-bucket-reader']],
  },
  { name: 'nonamespace', yaml: grant('nonamespace', configmaps, { cluster: true, subject: '{kind: ServiceAccount, name: loader}' }), findings: [['RBAC_SUBJECT_NEVER_MATCHES', 'low', 11, 'ClusterRoleBinding nonamespace: subject 0 never matches anyone: a ServiceAccount subject of a ClusterRoleBinding needs a namespace']] },
  { name: 'typo', yaml: grant('typo', configmaps, { subject: '{kind: Serviceaccount, name: loader, namespace: team-a}' }), findings: [review('typo'), ['RBAC_SUBJECT_NEVER_MATCHES', 'low', 11, 'RoleBinding team-a/typo: subject 0 never matches anyone: subject kind must be User, Group or ServiceAccount']] },
  {
    name: 'loop',
    yaml: `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: loop-a, labels: {aggregate-to-b: "true"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {aggregate-to-a: "true"}}]}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: loop-b, labels: {aggregate-to-a: "true"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {aggregate-to-b: "true"}}]}
rules: []
`,
    findings: [
      ['RBAC_AGGREGATION_LOOP', 'medium', 7, `ClusterRole "loop-b" is in an aggregation loop (loop-a → loop-b → loop-a): the controller's result depends on its order; palisade refuses the loop and counts only rules from outside it`],
      ['RBAC_AGGREGATION_LOOP', 'medium', 1, `ClusterRole "loop-a" is in an aggregation loop (loop-a → loop-b → loop-a): the controller's result depends on its order; palisade refuses the loop and counts only rules from outside it`],
    ],
  },
];

describe('RBAC rules, one grant each', () => {
  for (const c of CASES) {
    it(`${c.name}: ${[...new Set(c.findings.map((f) => f[0]))].join(', ')}`, () => {
      const found = runRbacRules(buildModel(loadText(`${c.name}.yaml`, c.yaml).resources), RBAC_RULES);
      expect(found.map((f) => [f.checkId, f.severity, f.location?.line, f.message])).toEqual(c.findings);
    });
  }
});

describe('RBAC rules end to end: `palisade audit` on a folder of the same files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-rbac-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const c of CASES) writeFileSync(join(dir, `${c.name}.yaml`), c.yaml);
  const run = palisade(['audit', dir, '--format', 'json', '--fail-on', 'none']);
  const report = JSON.parse(run.stdout) as { findings: Array<{ checkId: string; location?: { file: string; line: number } }> };

  it('reads them all without an error, and asks once to review the namespace\'s Roles', () => {
    expect([run.status, run.stderr]).toEqual([0, '']);
    expect(report.findings.filter((f) => f.checkId === 'RBAC_REVIEW_NAMESPACE_ROLES')).toHaveLength(1);
  });

  for (const c of CASES) {
    it(`${c.name}.yaml carries ${[...new Set(c.findings.map((f) => f[0]))].join(', ')}`, () => {
      const rbac = report.findings.filter((f) => f.checkId.startsWith('RBAC_') && f.checkId !== 'RBAC_REVIEW_NAMESPACE_ROLES' && f.location?.file === join(dir, `${c.name}.yaml`));
      expect(rbac.map((f) => [f.checkId, f.location?.line]).sort()).toEqual(c.findings.filter((f) => f[0] !== 'RBAC_REVIEW_NAMESPACE_ROLES').map((f) => [f[0], f[2]]).sort());
    });
  }
});

describe('RBAC rules about a workload\'s token', () => {
  it('name the workload, point at its pod spec (path and line), once per object even when two pod specs share the account', () => {
    const yaml = `${grant('exec', '- {apiGroups: [""], resources: [pods/exec], verbs: [create]}', { subject: '{kind: ServiceAccount, name: runner, namespace: team-a}' })}---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: team-a}
spec:
  headGroupSpec:
    template:
      spec:
        serviceAccountName: runner
        containers: [{name: head, image: ray}]
  workerGroupSpecs:
  - template:
      spec:
        serviceAccountName: runner
        containers: [{name: worker, image: ray}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: quiet, namespace: team-a}
spec:
  template:
    spec:
      serviceAccountName: runner
      automountServiceAccountToken: false
      containers: [{name: c, image: busybox}]
`;
    const found = runRbacRules(buildModel(loadText('workload.yaml', yaml).resources), RBAC_RULES).filter((f) => f.resource?.kind === 'RayCluster' || f.resource?.kind === 'Deployment');
    expect(found.map((f) => [f.checkId, f.severity, f.path, f.location?.line, f.message])).toEqual([
      ['RBAC_TOKEN_MOUNTED_WITH_BINDINGS', 'high', '/spec/headGroupSpec/template/spec', 19, 'RayCluster team-a/rc mounts the token of ServiceAccount team-a/runner, which RoleBinding team-a/exec binds; pods with its token: RayCluster team-a/rc (Ray head)'],
      ['RBAC_WORKLOAD_TAKEOVER', 'critical', '/spec/headGroupSpec/template/spec', 19, 'RayCluster team-a/rc runs as ServiceAccount team-a/runner, whose token can create pods/exec in namespace team-a; pods with its token: RayCluster team-a/rc (Ray head)'],
    ]);
  });
});
