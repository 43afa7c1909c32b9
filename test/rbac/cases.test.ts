import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/index.js';
import { loadText } from '../../src/core/load.js';
import { attackPaths, buildModel, parseRequest, RBAC_RULES, RbacContext, readAuditEvents, runRbacRules, whoCan, authorize, identityOf } from '../../src/rbac/index.js';

/** Cases the upstream corpora lack (research/rbac.md §5 "Gaps"), written with their expected answers. */
const model = (yaml: string) => buildModel(loadText('case.yaml', yaml).resources);
const findings = (yaml: string) => runRbacRules(model(yaml), RBAC_RULES).map((f) => ({ id: f.checkId, severity: f.severity, subject: f.subject, line: f.location?.line }));
const who = (yaml: string, verb: string, target: string, namespace?: string): string[] => {
  const m = model(yaml);
  return whoCan(m, { request: parseRequest(verb, target, m, namespace), ...(namespace ? { namespace } : {}) })
    .filter((s) => !s.implicit)
    .map((s) => `${s.subject.kind}:${s.subject.namespace ? `${s.subject.namespace}/` : ''}${s.subject.name}`);
};

const binding = (kind: string, name: string, role: string, subjects: string, namespace?: string, roleKind = 'ClusterRole'): string => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}
subjects: ${subjects}
`;

describe('nested aggregation', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubeflow-admin}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.kubeflow.org/aggregate-to-kubeflow-admin: "true"}}]}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubeflow-mpijobs-admin, labels: {rbac.kubeflow.org/aggregate-to-kubeflow-admin: "true"}}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {rbac.kubeflow.org/aggregate-to-kubeflow-mpijobs-admin: "true"}}]}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubeflow-mpijobs-edit, labels: {rbac.kubeflow.org/aggregate-to-kubeflow-mpijobs-admin: "true"}}
rules:
- {apiGroups: [kubeflow.org], resources: [mpijobs], verbs: [create, delete, patch]}
${binding('RoleBinding', 'team-admin', 'kubeflow-admin', '[{kind: User, name: alice}]', 'team-a')}`;

  it('two levels deep: the edit rules reach kubeflow-admin, through a RoleBinding in team-a only', () => {
    expect(who(yaml, 'create', 'mpijobs')).toEqual(['User:alice']);
    expect(who(yaml, 'create', 'mpijobs', 'team-b')).toEqual([]);
    expect(findings(yaml)).toContainEqual({ id: 'RBAC_WRITE_ML_WORKLOADS', severity: 'high', subject: { kind: 'User', name: 'alice' }, line: 17 });
  });

  it('a loop is reported and counts only rules from outside it', () => {
    const loop = yaml.replace('metadata: {name: kubeflow-admin}', 'metadata: {name: kubeflow-admin, labels: {rbac.kubeflow.org/aggregate-to-kubeflow-mpijobs-admin: "true"}}');
    expect(findings(loop).filter((f) => f.id === 'RBAC_AGGREGATION_LOOP').map((f) => f.line).sort()).toEqual([1, 7]);
    expect(who(loop, 'create', 'mpijobs')).toEqual(['User:alice']);
    expect(who(loop, 'get', 'mpijobs')).toEqual([]);
  });
});

describe('group bindings', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
${binding('RoleBinding', 'all-pods-of-ml', 'secret-reader', '[{kind: Group, name: "system:serviceaccounts:ml"}]', 'ml')}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: iris, namespace: ml}
spec:
  predictor:
    serviceAccountName: predictor
    sklearn: {storageUri: "gs://models/iris"}
`;
  it('system:serviceaccounts:<ns> reaches every service account of ml and no other', () => {
    const m = model(yaml);
    const read = (ns: string, name: string, where: string) => authorize(m, identityOf({ kind: 'ServiceAccount', namespace: ns, name }), { verb: 'list', apiGroup: '', resource: 'secrets', namespace: where }).allowed;
    expect([read('ml', 'predictor', 'ml'), read('ml', 'default', 'ml'), read('other', 'predictor', 'ml'), read('ml', 'predictor', 'other')]).toEqual([true, true, false, false]);
  });
  it('the broad group is flagged, raised to critical because a model server runs with its token', () => {
    const f = runRbacRules(model(yaml), RBAC_RULES).filter((x) => x.checkId === 'RBAC_BROAD_GROUP_SENSITIVE' || x.checkId === 'RBAC_READ_SECRETS');
    expect(f.map((x) => [x.checkId, x.severity, x.subject?.name])).toEqual([
      ['RBAC_BROAD_GROUP_SENSITIVE', 'critical', 'system:serviceaccounts:ml'],
      ['RBAC_READ_SECRETS', 'critical', 'system:serviceaccounts:ml'],
    ]);
    expect(f[1]!.message).toBe('Group system:serviceaccounts:ml can read Secrets in namespace ml via RoleBinding ml/all-pods-of-ml → ClusterRole secret-reader; pods with its token: InferenceService ml/iris (model server)');
  });
});

describe('dangling roleRefs', () => {
  const yaml = `${binding('RoleBinding', 'future-admin', 'not-yet-installed', '[{kind: ServiceAccount, name: runner}]', 'ci')}${binding('ClusterRoleBinding', 'to-a-role', 'ci-role', '[{kind: User, name: bob}]', undefined, 'Role')}`;
  it('are reported at the roleRef and grant nothing; a ClusterRoleBinding to a Role is invalid', () => {
    expect(findings(yaml).filter((f) => f.id.startsWith('RBAC_DANGLING') || f.id.startsWith('RBAC_INVALID'))).toEqual([
      { id: 'RBAC_DANGLING_ROLE_REF', severity: 'medium', line: 5, subject: undefined },
      { id: 'RBAC_INVALID_ROLE_REF', severity: 'low', line: 11, subject: undefined },
    ]);
    expect(who(yaml, 'get', 'pods', 'ci')).toEqual([]);
  });
  it('the ServiceAccount subject without namespace takes the RoleBinding\'s', () => {
    expect(model(yaml).bindingSubjects).toContainEqual({ kind: 'ServiceAccount', namespace: 'ci', name: 'runner' });
  });
});

describe('WebSocket exec', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ws-exec, namespace: ray}
rules: [{apiGroups: [""], resources: [pods/exec], verbs: [get]}]
${binding('RoleBinding', 'ws', 'ws-exec', '[{kind: User, name: carol}]', 'ray', 'Role')}
---
apiVersion: ray.io/v1
kind: RayCluster
metadata: {name: rc, namespace: ray}
spec:
  headGroupSpec:
    template:
      spec:
        serviceAccountName: ray-head
        containers: [{name: head, image: rayproject/ray:2.9.0}]
  workerGroupSpecs: []
${binding('ClusterRoleBinding', 'ray-head-reads', 'secret-lister', '[{kind: ServiceAccount, name: ray-head, namespace: ray}]')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-lister}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
`;
  it('get on pods/exec is exec (kubectl 1.30+ over WebSocket); `pods/*` would not be', () => {
    expect(findings(yaml).filter((f) => f.id === 'RBAC_EXEC_PODS')).toEqual([{ id: 'RBAC_EXEC_PODS', severity: 'high', subject: { kind: 'User', name: 'carol' }, line: 4 }]);
    expect(findings(yaml.replace('resources: [pods/exec]', 'resources: ["pods/*"]')).filter((f) => f.id === 'RBAC_EXEC_PODS')).toEqual([]);
  });
  it('the attack path goes through the Ray head to every Secret', () => {
    const paths = attackPaths(new RbacContext(model(yaml)), { kind: 'User', name: 'carol' });
    expect(paths.reached.map((r) => ({ to: r.subject, steps: r.path.map((s) => s.action), powers: r.powers }))).toEqual([
      { to: { kind: 'ServiceAccount', namespace: 'ray', name: 'ray-head' }, steps: ['get pods/exec into RayCluster ray/rc'], powers: ['read Secrets cluster-wide'] },
    ]);
  });
});

describe('ML CRDs', () => {
  const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: runtime-editor}
rules: [{apiGroups: [serving.kserve.io], resources: [clusterservingruntimes], verbs: [update]}]
${binding('RoleBinding', 'ns-scoped', 'runtime-editor', '[{kind: User, name: dana}]', 'ml')}${binding('ClusterRoleBinding', 'cluster-scoped', 'runtime-editor', '[{kind: User, name: erin}]')}`;
  it('ClusterServingRuntime is cluster-scoped: only the ClusterRoleBinding grants it, and it is critical', () => {
    expect(findings(yaml).filter((f) => f.id === 'RBAC_WRITE_ML_WORKLOADS')).toEqual([{ id: 'RBAC_WRITE_ML_WORKLOADS', severity: 'critical', subject: { kind: 'User', name: 'erin' }, line: 4 }]);
  });
});

describe('named ConfigMaps', () => {
  const role = (names: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm, namespace: kube-system}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [patch], resourceNames: ${names}}]
${binding('RoleBinding', 'cm', 'cm', '[{kind: User, name: frank}]', 'kube-system', 'Role')}`;
  it('resourceNames naming aws-auth is critical; naming another ConfigMap is nothing', () => {
    expect(findings(role('[aws-auth]')).filter((f) => f.id === 'RBAC_CONTROL_CONFIGMAPS')).toEqual([{ id: 'RBAC_CONTROL_CONFIGMAPS', severity: 'critical', subject: { kind: 'User', name: 'frank' }, line: 4 }]);
    expect(findings(role('[my-app-config]')).filter((f) => f.id === 'RBAC_CONTROL_CONFIGMAPS')).toEqual([]);
  });
});

describe('CSR approval and signing', () => {
  const cr = (rules: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: csr}
rules: ${rules}
${binding('ClusterRoleBinding', 'csr', 'csr', '[{kind: User, name: gina}]')}`;
  const csr = (rules: string) => findings(cr(rules)).filter((f) => f.id === 'RBAC_CSR_APPROVAL').map((f) => f.severity);
  it('approval alone is medium; with create and approve on the kube-apiserver-client signer it is critical', () => {
    const approval = '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests/approval], verbs: [update]}';
    const create = '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}';
    expect(csr(`[${approval}]`)).toEqual(['medium']);
    expect(csr(`[${approval}, ${create}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [kubernetes.io/kube-apiserver-client]}]`)).toEqual(['critical']);
    expect(csr(`[${approval}, ${create}, {apiGroups: [certificates.k8s.io], resources: [signers], verbs: [approve], resourceNames: [example.com/my-signer]}]`)).toEqual(['medium']);
    expect(csr(`[${create}]`)).toEqual([]);
  });
});

describe('palisade audit', () => {
  it('reports RBAC findings with the subject and the grant line only when the input has RBAC objects', () => {
    const yaml = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
${binding('ClusterRoleBinding', 'predictor-reads', 'reader', '[{kind: ServiceAccount, name: predictor, namespace: ml}]')}`;
    const out = audit(loadText('rbac.yaml', yaml), { now: new Date('2026-06-01') }).findings.filter((f) => f.checkId === 'RBAC_READ_SECRETS');
    expect(out).toEqual([
      expect.objectContaining({ checkId: 'RBAC_READ_SECRETS', severity: 'critical', subject: { kind: 'ServiceAccount', name: 'predictor', namespace: 'ml' }, resource: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'predictor-reads' }, location: { file: 'rbac.yaml', line: 4, column: 9 }, frameworks: { 'nist-800-53': ['AC-6', 'IA-5'], 'mitre-attack': ['T1552.007'], kubescape: ['C-0015', 'C-0186'] } }),
    ]);
    const noRbac = audit(loadText('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: nginx}]}\n'), { now: new Date('2026-06-01') }).findings;
    expect(noRbac.filter((f) => f.checkId.startsWith('RBAC_'))).toEqual([]);
  });
});

/**
 * A role is a grant waiting for a binding: what it allows is judged on the role itself when no
 * binding of the input names it (Polaris clusterrolePodExecAttach/rolePodExecAttach, kube-linter
 * wildcard-in-rules, checkov CKV_K8S_49/155–158 judge roles, not subjects). The API server's own
 * roles (docs "Default roles and role bindings": the user-facing defaults, `system:` names, the
 * rbac-defaults label) are judged only where bound.
 */
describe('roles no binding names', () => {
  const role = (kind: string, name: string, rules: string, extra = ''): string => `---
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${kind === 'Role' ? ', namespace: ml' : ''}${extra}}
rules: ${rules}
`;
  const exec = '[{apiGroups: [""], resources: [pods/exec], verbs: [create]}]';
  // RBAC_REVIEW_NAMESPACE_ROLES (info: a namespace defines Roles) is beside the point here
  const ids = (yaml: string) => findings(yaml).filter((f) => f.id !== 'RBAC_REVIEW_NAMESPACE_ROLES').map((f) => `${f.id} ${f.subject ? `${f.subject.kind}:${f.subject.name}` : '-'} ${f.line}`);

  it('an unbound ClusterRole with pods/exec is reported on its rule, without a subject, cluster-wide', () => {
    const out = runRbacRules(model(role('ClusterRole', 'debugger', exec)), RBAC_RULES);
    expect(out.map((f) => [f.checkId, f.severity, f.subject, f.resource, f.location?.line, f.message])).toEqual([
      ['RBAC_EXEC_PODS', 'critical', undefined, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', name: 'debugger' }, 5, 'anyone bound to ClusterRole debugger can exec into or attach to pods cluster-wide (create) via ClusterRole debugger, which no binding in the input grants yet'],
    ]);
  });

  it('an unbound Role is judged in its namespace', () => {
    const out = runRbacRules(model(role('Role', 'debugger', exec)), RBAC_RULES).filter((f) => f.checkId !== 'RBAC_REVIEW_NAMESPACE_ROLES');
    expect(out.map((f) => [f.checkId, f.severity, f.resource?.namespace, f.message])).toEqual([
      ['RBAC_EXEC_PODS', 'high', 'ml', 'anyone bound to Role ml/debugger can exec into or attach to pods in namespace ml (create) via Role ml/debugger, which no binding in the input grants yet'],
    ]);
  });

  it('once bound, the grant is reported per subject and not again on the role', () => {
    expect(ids(role('ClusterRole', 'debugger', exec) + binding('ClusterRoleBinding', 'b', 'debugger', '[{kind: User, name: ann}]'))).toEqual(['RBAC_EXEC_PODS User:ann 5']);
    // a binding to a Role of another namespace does not bind it
    expect(ids(role('Role', 'debugger', exec) + binding('RoleBinding', 'b', 'debugger', '[{kind: User, name: ann}]', 'other', 'Role'))).toEqual([
      'RBAC_DANGLING_ROLE_REF - 10',
      'RBAC_EXEC_PODS - 5',
    ]);
  });

  it('a role an aggregated ClusterRole takes rules from is judged through that role', () => {
    const yaml = `${role('ClusterRole', 'exec-part', exec, ', labels: {team/agg: "true"}')}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: team}
aggregationRule: {clusterRoleSelectors: [{matchLabels: {team/agg: "true"}}]}
rules: []
`;
    expect(findings(yaml).map((f) => f.id)).toEqual(['RBAC_EXEC_PODS']);
    expect(runRbacRules(model(yaml), RBAC_RULES).map((f) => f.resource?.name)).toEqual(['team']);
  });

  it('the API server\'s and managed platforms\' own roles are left to their bindings', () => {
    const all = '[{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]';
    expect(findings(role('ClusterRole', 'admin', all) + role('ClusterRole', 'system:controller:x', all) + role('ClusterRole', 'gce:podsecuritypolicy:calico-sa', all) + role('ClusterRole', 'eks:addon', all))).toEqual([]);
    expect(findings(role('ClusterRole', 'mine', all, ', labels: {kubernetes.io/bootstrapping: rbac-defaults}'))).toEqual([]);
    expect(findings(role('ClusterRole', 'empty', '[]'))).toEqual([]);
  });
});

/** The defaults every cluster has (bootstrappolicy ClusterRoles): a binding to cluster-admin grants it even when the input does not define it. */
describe('bootstrap roles', () => {
  it('a ClusterRoleBinding to cluster-admin is cluster-admin; a binding to a role nobody defines is dangling', () => {
    const admin = findings(binding('ClusterRoleBinding', 'ops', 'cluster-admin', '[{kind: Group, name: ops}]'));
    expect(admin.filter((f) => f.id === 'RBAC_CLUSTER_ADMIN' || f.id === 'RBAC_DANGLING_ROLE_REF').map((f) => [f.id, f.subject])).toEqual([['RBAC_CLUSTER_ADMIN', { kind: 'Group', name: 'ops' }]]);
    expect(who(binding('ClusterRoleBinding', 'ops', 'cluster-admin', '[{kind: Group, name: ops}]'), 'get', '/healthz')).toEqual(['Group:ops']);
    // a written cluster-admin gets the default rules back at the API server's next start, unless autoupdate is "false"
    const written = (annotations: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin${annotations}}
rules: [{apiGroups: [""], resources: [deployments], verbs: [get]}]
${binding('ClusterRoleBinding', 'ops', 'cluster-admin', '[{kind: Group, name: ops}]')}`;
    expect(findings(written('')).filter((f) => f.id === 'RBAC_CLUSTER_ADMIN').map((f) => [f.subject, f.line])).toEqual([[{ kind: 'Group', name: 'ops' }, 6]]);
    expect(findings(written(', annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}')).filter((f) => f.id === 'RBAC_CLUSTER_ADMIN')).toEqual([]);
    // the aggregation controller reads cluster-admin as reconciled: a role that aggregates it gets the default rules too
    const aggregating = (annotations: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin${annotations}}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
aggregationRule: {clusterRoleSelectors: [{}]}
rules: []
${binding('RoleBinding', 'ops', 'everything', '[{kind: Group, name: ops}]', 'ml')}`;
    expect(who(aggregating(''), 'escalate', 'roles.rbac.authorization.k8s.io', 'ml')).toEqual(['Group:ops']);
    expect(who(aggregating(', annotations: {rbac.authorization.kubernetes.io/autoupdate: "false"}'), 'escalate', 'roles.rbac.authorization.k8s.io', 'ml')).toEqual([]);
    // admin, edit and view are aggregated and change between releases: not modelled, so dangling
    expect(findings(binding('RoleBinding', 'ops', 'edit', '[{kind: Group, name: ops}]', 'ml')).map((f) => f.id)).toEqual(['RBAC_DANGLING_ROLE_REF']);
  });
});

/** Polaris's clusterAdmin checks: every read and write verb written out is `*` all the same. */
describe('every verb written out', () => {
  const cr = (verbs: string, bindingKind = 'ClusterRoleBinding', ns?: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ${verbs}}]
${binding(bindingKind, 'b', 'all', '[{kind: User, name: ann}]', ns)}`;
  const admins = (yaml: string) => findings(yaml).filter((f) => f.id === 'RBAC_CLUSTER_ADMIN' || f.id === 'RBAC_NAMESPACE_ADMIN').map((f) => f.id);
  it('get, list, watch, create, update, patch and delete on every resource is admin; one short of them is not', () => {
    expect(admins(cr('[get, list, watch, create, update, patch, delete]'))).toEqual(['RBAC_CLUSTER_ADMIN']);
    expect(admins(cr('[delete, patch, update, create, watch, list, get]', 'RoleBinding', 'ml'))).toEqual(['RBAC_NAMESPACE_ADMIN']);
    expect(admins(cr('[get, list, watch, create, update, patch]'))).toEqual([]);
    expect(admins(cr('["*"]'))).toEqual(['RBAC_CLUSTER_ADMIN']);
  });
});

describe('the audit events least-privilege reads', () => {
  it('a line that is JSON but no object, or an objectRef with fields of other types, is an error or read as absent, not a crash (found by the auditlog fuzz target)', () => {
    const user = { username: 'alice' };
    const text = ['null', '[1]', '"x"', JSON.stringify({ user, verb: 'get', objectRef: { resource: 5, namespace: 'ml' }, requestURI: '/healthz?x=1' }), JSON.stringify({ user, verb: 'list', objectRef: { resource: 'pods', namespace: ['ml'], name: null } })].join('\n');
    const { used, errors } = readAuditEvents(text, 'audit.log', 'alice');
    expect(errors.map((e) => e.format())).toEqual(['audit.log:1:1: not a JSON audit event: found null', 'audit.log:2:1: not a JSON audit event: found an array', 'audit.log:3:1: not a JSON audit event: found string']);
    expect(used).toEqual([
      { request: { verb: 'get', path: '/healthz' }, count: 1 },
      { request: { verb: 'list', apiGroup: '', resource: 'pods', namespace: '' }, count: 1 },
    ]);
  });
});

describe('a binding defined twice', () => {
  // Found by fuzz/targets/rbac.mjs: a repeated binding was not reported. Both grant (overlays read together
  // hold one name twice; which one a cluster keeps depends on the apply order), and the repeat is a finding.
  const role = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: deleter}\nrules: [{apiGroups: [""], resources: [pods], verbs: [delete]}]\n';
  const yaml = `${role}${binding('RoleBinding', 'b1', 'deleter', '[{kind: User, name: alice}]')}${binding('RoleBinding', 'b1', 'deleter', '[{kind: User, name: bob}]', 'default')}`;

  it('grants through both definitions, and is reported at the second', () => {
    expect(who(yaml, 'delete', 'pods', 'default')).toEqual(['User:alice', 'User:bob']);
    expect(authorize(model(yaml), identityOf({ kind: 'User', name: 'alice' }), { verb: 'delete', apiGroup: '', resource: 'pods', namespace: 'default' }).allowed).toBe(true);
    expect(model(yaml).problems.map((p) => [p.code, p.location?.line, p.message])).toEqual([['RBAC_DUPLICATE_OBJECT', 12, 'RoleBinding default/b1 is defined twice; palisade counts the grants of both, the API server keeps the one applied last']]);
  });

  it('bindings of one name in two namespaces, or a RoleBinding and a ClusterRoleBinding, are two objects', () => {
    const two = `${role}${binding('RoleBinding', 'b1', 'deleter', '[{kind: User, name: alice}]', 'ns1')}${binding('RoleBinding', 'b1', 'deleter', '[{kind: User, name: bob}]', 'ns2')}${binding('ClusterRoleBinding', 'b1', 'deleter', '[{kind: User, name: carol}]')}`;
    expect(model(two).problems).toEqual([]);
    expect(who(two, 'delete', 'pods', 'ns1')).toEqual(['User:alice', 'User:carol']);
  });
});

describe('an aggregation selector the API server refuses', () => {
  // Found by fuzz/targets/rbac.mjs: `agg: y` is a boolean in YAML 1.1; dropping it left an empty selector,
  // which selected every ClusterRole, so the aggregated role granted everything any role of the input does.
  const roles = (selector: string): string => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: aggregated}
aggregationRule: {clusterRoleSelectors: [${selector}]}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader, labels: {agg: "y"}}
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
${binding('ClusterRoleBinding', 'b', 'aggregated', '[{kind: User, name: alice}]')}`;

  it.each([
    ['a label value that is not a string (unquoted y)', '{matchLabels: {agg: y}}'],
    ['NotIn without values', '{matchExpressions: [{key: agg, operator: NotIn}]}'],
    ['Exists with values', '{matchExpressions: [{key: agg, operator: Exists, values: ["y"]}]}'],
    ['an expression that is not an object', '{matchExpressions: [agg]}'],
    ['a selector that is not an object', 'agg'],
  ])('%s selects nothing', (_, selector) => {
    expect(who(roles(selector), 'delete', 'secrets', 'ns1')).toEqual([]);
    expect(who(roles(selector), 'get', 'pods', 'ns1')).toEqual([]);
  });

  it('the same selectors written as the API server takes them select what they say', () => {
    expect(who(roles('{matchLabels: {agg: "y"}}'), 'get', 'pods', 'ns1')).toEqual(['User:alice']);
    expect(who(roles('{matchLabels: {agg: "y"}}'), 'delete', 'secrets', 'ns1')).toEqual([]);
    expect(who(roles('{matchExpressions: [{key: agg, operator: Exists}]}'), 'get', 'pods', 'ns1')).toEqual(['User:alice']);
  });
});
