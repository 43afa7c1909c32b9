import { summarize, type Finding, type Report } from '../../src/core/types.js';
import type { ReportContext } from '../../src/report/types.js';

/**
 * A small report that exercises every corner a reporter must handle: two files out of order, a
 * PSS `results` array (one pod spec allowed, one not), a suppressed finding, a finding without a
 * location, stdin ("-"), a cluster-scoped resource, unicode, and hostile strings (markup, quotes,
 * `]]>`, control characters, escape sequences, the separators of GitHub's commands).
 */
export const HOSTILE = 'bad <tag attr="x"> & \'q\' ]]> 100%, a:b\r\nnext\u0001\u001b[31mred\u0000';

const iris = { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', namespace: 'ml', name: 'iris' };

export const findings: Finding[] = [
  {
    checkId: 'PSS_RESTRICTED_RUN_AS_NON_ROOT',
    severity: 'high',
    title: 'Container may run as root',
    message: 'container "predictor" must set securityContext.runAsNonRoot=true',
    resource: iris,
    container: 'predictor',
    path: '/spec/predictor/containers/0/securityContext/runAsNonRoot',
    location: { file: 'deploy/iris.yaml', line: 12, column: 11 },
    remediation: 'set securityContext.runAsNonRoot: true and a non-zero runAsUser.',
    frameworks: { pss: ['restricted'], 'nist-800-53': ['AC-6'], 'mitre-atlas': ['AML.T0049'], cis: ['5.2.7'] },
  },
  {
    checkId: 'ML_RAY_DASHBOARD_EXPOSED',
    severity: 'medium',
    title: 'Ray dashboard reachable',
    message: 'Ray dashboard listens on 0.0.0.0:8265 — jobs can be submitted by anyone 🚀 (ünïcödé)',
    resource: { apiVersion: 'ray.io/v1', kind: 'RayCluster', namespace: 'ray', name: 'rayküster' },
    path: '/spec/headGroupSpec/rayStartParams/dashboard-host',
    location: { file: 'deploy/ray.yaml', line: 7, column: 23 },
    remediation: 'bind the dashboard to 127.0.0.1 and reach it with kubectl port-forward.',
    frameworks: { 'mitre-atlas': ['AML.T0049'] },
  },
  {
    checkId: 'PSS_BASELINE_PRIVILEGED',
    severity: 'critical',
    title: 'Privileged container',
    message: 'container "predictor" must not set securityContext.privileged=true',
    resource: iris,
    container: 'predictor',
    path: '/spec/predictor/containers/0/securityContext/privileged',
    location: { file: 'deploy/iris.yaml', line: 11, column: 23 },
    remediation: 'remove securityContext.privileged.',
    frameworks: { pss: ['baseline'], cis: ['5.2.2'] },
  },
  {
    checkId: 'ML_MODEL_TOKEN_IN_ENV',
    severity: 'low',
    title: 'Model hub token in plain env',
    message: 'env HF_TOKEN of container "predictor" holds a literal token',
    resource: iris,
    container: 'predictor',
    path: '/spec/predictor/containers/0/env/0/value',
    location: { file: 'deploy/iris.yaml', line: 15, column: 16 },
    remediation: 'read the token from a Secret with valueFrom.secretKeyRef.',
    suppressed: { by: 'annotation', reason: 'public demo token, ticket SEC-12', expires: '2026-12-31' },
  },
  {
    checkId: 'LOAD_NOT_FOUND',
    severity: 'high',
    title: 'Input error',
    message: 'cannot read "missing.yaml": no such file or directory',
  },
  {
    checkId: 'ML_CLUSTER_ADMIN_BINDING',
    severity: 'info',
    title: 'Cluster-admin granted',
    message: 'ClusterRoleBinding gives cluster-admin to serviceaccount ml/runner',
    resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'runner-admin' },
    path: '/roleRef/name',
    location: { file: '-', line: 9, column: 9 },
    suppressed: { by: 'config', reason: 'reviewed' },
  },
  {
    checkId: 'ML_HOSTILE',
    severity: 'high',
    title: `Hostile ${HOSTILE}`,
    message: HOSTILE,
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'we:ird,ns', name: 'p%d' },
    location: { file: 'deploy/we:ird dir/x,1.yaml', line: 2, column: 3 },
    remediation: HOSTILE,
  },
];

export const results = [
  {
    resource: iris,
    location: { file: 'deploy/iris.yaml', line: 1, column: 1 },
    podSpecPath: '/spec/predictor',
    containers: [{ name: 'predictor', kind: 'container', path: '/spec/predictor/containers/0' }],
    level: 'restricted',
    version: 'v1.37',
    allowed: false,
    violations: [
      { check: 'privileged', reason: 'privileged', detail: 'container "predictor" must not set securityContext.privileged=true' },
      { check: 'runAsNonRoot', reason: 'runAsNonRoot != true', detail: 'pod or container "predictor" must set securityContext.runAsNonRoot=true' },
    ],
  },
  {
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ml', name: 'gateway' },
    location: { file: '-', line: 1, column: 1 },
    podSpecPath: '/spec',
    containers: [{ name: 'envoy', kind: 'container', path: '/spec/containers/0' }],
    level: 'restricted',
    version: 'latest',
    allowed: true,
    violations: [],
  },
];

export function makeReport(withFindings: Finding[] = findings, extra: Record<string, unknown> = { results }): Report {
  return {
    tool: { name: 'palisade', version: '0.1.0' },
    inputs: ['deploy/', '-'],
    summary: summarize(withFindings),
    findings: withFindings,
    ...extra,
  };
}

const SOURCES: Record<string, string> = {
  'deploy/iris.yaml': [
    'apiVersion: serving.kserve.io/v1beta1',
    'kind: InferenceService',
    'metadata:',
    '  name: iris',
    '  namespace: ml',
    'spec:',
    '  predictor:',
    '    containers:',
    '      - name: predictor',
    '        securityContext:',
    '          privileged: true',
    '          runAsNonRoot: false',
    '        env:',
    '          - name: HF_TOKEN',
    '            value: hf_abc',
  ].join('\r\n'),
  'deploy/ray.yaml': 'apiVersion: ray.io/v1\nkind: RayCluster\nmetadata:\n  name: rayküster\nspec:\n  headGroupSpec:\n    rayStartParams: {dashboard-host: 0.0.0.0}\n',
  'deploy/we:ird dir/x,1.yaml': 'kind: Pod\n\tx: "\u001b[2J"\n',
};

/** What the CLI's sourceLines gives a reporter: lines of the files it read, "\r" kept as read. */
export function sourceLine(file: string, line: number): string | undefined {
  return SOURCES[file]?.split('\n')[line - 1];
}

export const plainContext: ReportContext = { color: false, sourceLine };
