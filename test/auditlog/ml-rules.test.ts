import { describe, expect, it } from 'vitest';
import { AUDITLOG_RULES, AuditLogEngine, alertToFinding, bundledRuleFiles, loadRuleSet, ML_DETECTIONS, registrationFor, UPSTREAM_RULES } from '../../src/auditlog/index.js';

const loaded = loadRuleSet([]);

type Json = Record<string, unknown>;
let n = 0;
function event(fields: Json): Json {
  n++;
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`,
    stage: 'ResponseComplete',
    user: { username: 'alice@example.com', groups: ['system:authenticated'] },
    sourceIPs: ['10.0.0.8'],
    userAgent: 'kubectl/v1.31.0',
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: '2026-12-06T10:00:00.000000Z',
    stageTimestamp: '2026-12-06T10:00:00.100000Z',
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...fields,
  };
}

/** The palisade rules (by registry id) that fire on the event. */
function fired(e: Json): string[] {
  const engine = new AuditLogEngine(loaded);
  return engine
    .process(e, { file: 'written', line: 1, column: 1 })
    .map(alertToFinding)
    .map((f) => f.checkId)
    .filter((id) => id.startsWith('AUDITLOG_'));
}

const exec = (pod: string, ns: string, extra: Json = {}, query = 'command=bash&container=kserve-container&stdin=true&tty=true') =>
  event({ stage: 'ResponseStarted', verb: 'create', requestURI: `/api/v1/namespaces/${ns}/pods/${pod}/exec?${query}`, objectRef: { resource: 'pods', namespace: ns, name: pod, subresource: 'exec', apiVersion: 'v1' }, responseStatus: { code: 101 }, ...extra });

describe('bundled rule set', () => {
  it('loads without an error or a warning, every rule registered and every registration bundled', () => {
    expect([...loaded.errors, ...loaded.warnings].map((e) => e.format())).toEqual([]);
    expect(loaded.rules.map((r) => r.name).sort()).toEqual([...UPSTREAM_RULES.map((u) => u.falcoName), ...ML_DETECTIONS.map((d) => d.falco.rule)].sort());
    expect(loaded.rules.filter((r) => !r.enabled).map((r) => r.name)).toEqual(['Disallowed K8s User', 'K8s Secret Get Successfully']);
    expect(AUDITLOG_RULES).toHaveLength(loaded.rules.length);
    for (const r of loaded.rules) {
      const meta = registrationFor(r.name);
      expect(meta?.family).toBe('auditlog');
      expect(meta?.frameworks['mitre-attack']?.length, r.name).toBeGreaterThan(0);
    }
    for (const d of ML_DETECTIONS) {
      expect(d.meta.frameworks['mitre-atlas']?.length, d.meta.id).toBeGreaterThan(0);
      expect(d.meta.severity, d.meta.id).toBe(alertToFinding({ rule: d.falco.rule, priority: d.falco.priority, source: 'k8s_audit', tags: [], output: '', outputFields: {}, time: '', location: { file: '', line: 1, column: 1 } }).severity);
    }
  });

  it('keeps the Apache-2.0 notice of Falco\'s file', () => {
    expect(bundledRuleFiles()[0]?.text.slice(0, 200)).toContain('Licensed under the Apache License, Version 2.0');
  });
});

describe('ML-serving rules on written events', () => {
  it('exec into a KServe predictor (SPDY create, then WebSocket get) fires; into nginx it does not', () => {
    expect(fired(exec('iris-predictor-00001-deployment-7d9f8', 'team-a'))).toEqual(['AUDITLOG_EXEC_INTO_ML_WORKLOAD']);
    expect(fired(exec('raycluster-kuberay-head-x8k2p', 'team-a', { verb: 'get' }))).toEqual(['AUDITLOG_EXEC_INTO_ML_WORKLOAD']);
    expect(fired(exec('vllm-7b9c9d-x2', 'llm'))).toEqual(['AUDITLOG_EXEC_INTO_ML_WORKLOAD']);
    expect(fired(exec('anything', 'kubeflow'))).toEqual(['AUDITLOG_EXEC_INTO_ML_WORKLOAD']);
    expect(fired(exec('nginx-7b9c9d-x2', 'web'))).toEqual([]);
    expect(fired(exec('array-job-1', 'web'))).toEqual([]);
    expect(fired(exec('iris-predictor-1', 'team-a', { responseStatus: { code: 403 }, stage: 'ResponseComplete', annotations: { 'authorization.k8s.io/decision': 'forbid' } }))).toEqual([]);
  });

  it('kubectl cp out of a notebook fires the copy rule beside the exec rule', () => {
    expect(fired(exec('my-notebook-0', 'team-a', {}, 'command=tar&command=cf&command=-&command=%2Fhome%2Fjovyan&container=my-notebook'))).toEqual(['AUDITLOG_EXEC_INTO_ML_WORKLOAD', 'AUDITLOG_COPY_FROM_ML_WORKLOAD']);
  });

  it('the stages of one exec alert once', () => {
    const engine = new AuditLogEngine(loaded);
    const started = exec('iris-predictor-1', 'ml');
    const complete = { ...started, stage: 'ResponseComplete' };
    const ids = [started, complete, started].flatMap((e) => engine.process(e, { file: 'f', line: 1, column: 1 })).map((a) => a.rule);
    expect(ids).toEqual(['Attach/Exec Pod', 'Exec Into ML Workload']);
  });

  it('port-forward to a Ray head, and to the Ray dashboard port of any pod', () => {
    const pf = (pod: string, query: string) => event({ stage: 'ResponseStarted', verb: 'get', requestURI: `/api/v1/namespaces/ml/pods/${pod}/portforward${query}`, objectRef: { resource: 'pods', namespace: 'ml', name: pod, subresource: 'portforward' }, responseStatus: { code: 101 } });
    expect(fired(pf('raycluster-head-abcde', ''))).toEqual(['AUDITLOG_PORT_FORWARD_TO_ML_WORKLOAD']);
    expect(fired(pf('web-1', '?ports=8265'))).toEqual(['AUDITLOG_PORT_FORWARD_TO_ML_ADMIN_PORT']);
    expect(fired(pf('web-1', '?ports=8080'))).toEqual([]);
  });

  it('a model-storage secret read by a service account of another namespace, not by its own', () => {
    const read = (user: string, name = 'storage-config', verb = 'get') => event({ verb, requestURI: `/api/v1/namespaces/ml/secrets/${name}`, user: { username: user, groups: ['system:serviceaccounts'] }, objectRef: { resource: 'secrets', namespace: 'ml', name, apiVersion: 'v1' } });
    expect(fired(read('system:serviceaccount:web:frontend'))).toEqual(['AUDITLOG_MODEL_SECRET_READ_BY_FOREIGN_SA']);
    expect(fired(read('system:serviceaccount:web:frontend', 'hf-token'))).toEqual(['AUDITLOG_MODEL_SECRET_READ_BY_FOREIGN_SA']);
    expect(fired(read('system:serviceaccount:ml:default'))).toEqual([]);
    expect(fired(read('system:serviceaccount:web:frontend', 'tls-cert'))).toEqual([]);
    expect(fired(read('system:anonymous', 's3-creds'))).toEqual(['AUDITLOG_MODEL_SECRET_READ_BY_FOREIGN_SA', 'AUDITLOG_ANONYMOUS_REQUEST']);
  });

  it('a patch of an InferenceService storageUri or a RayService image fires; a status patch does not', () => {
    const patch = (resource: string, body: unknown, sub?: string) => event({ level: 'Request', verb: 'patch', requestURI: `/apis/serving.kserve.io/v1beta1/namespaces/ml/${resource}/x`, objectRef: { resource, namespace: 'ml', name: 'x', apiGroup: 'serving.kserve.io', ...(sub ? { subresource: sub } : {}) }, requestObject: body });
    expect(fired(patch('inferenceservices', { spec: { predictor: { model: { storageUri: 's3://evil/model' } } } }))).toEqual(['AUDITLOG_ML_SERVING_SPEC_CHANGED']);
    expect(fired(patch('rayservices', [{ op: 'replace', path: '/spec/rayClusterConfig/headGroupSpec/template/spec/containers/0/image', value: 'evil/ray:latest' }]))).toEqual(['AUDITLOG_ML_SERVING_SPEC_CHANGED']);
    expect(fired(patch('servingruntimes', { metadata: { labels: { team: 'a' } } }))).toEqual([]);
    expect(fired(patch('inferenceservices', { status: { url: 'x' } }, 'status'))).toEqual([]);
  });

  it('bindings to cluster-admin, admin or everyone fire; a binding to view does not', () => {
    const bind = (resource: string, role: string, subjects: Json[]) => event({ level: 'RequestResponse', verb: 'create', responseStatus: { code: 201 }, objectRef: { resource, name: 'b', apiGroup: 'rbac.authorization.k8s.io', ...(resource === 'rolebindings' ? { namespace: 'ml' } : {}) }, requestObject: { roleRef: { kind: 'ClusterRole', name: role }, subjects } });
    expect(fired(bind('clusterrolebindings', 'cluster-admin', [{ kind: 'ServiceAccount', name: 'x', namespace: 'ml' }]))).toEqual(['AUDITLOG_POWERFUL_ROLE_BINDING']);
    expect(fired(bind('rolebindings', 'admin', [{ kind: 'User', name: 'bob' }]))).toEqual(['AUDITLOG_POWERFUL_ROLE_BINDING']);
    expect(fired(bind('clusterrolebindings', 'view', [{ kind: 'Group', name: 'system:unauthenticated' }]))).toEqual(['AUDITLOG_POWERFUL_ROLE_BINDING']);
    expect(fired(bind('clusterrolebindings', 'view', [{ kind: 'Group', name: 'team-a' }]))).toEqual([]);
  });

  it('a token for the KServe controller by a person fires; by the kubelet it does not', () => {
    const token = (user: string) => event({ verb: 'create', responseStatus: { code: 201 }, user: { username: user }, objectRef: { resource: 'serviceaccounts', subresource: 'token', namespace: 'kserve', name: 'kserve-controller-manager' } });
    expect(fired(token('mallory'))).toEqual(['AUDITLOG_ML_OPERATOR_TOKEN_REQUEST']);
    expect(fired(token('system:node:gpu-node-1'))).toEqual([]);
  });

  it('Pod Security audit violations, anonymous requests and system:masters', () => {
    expect(fired(event({ verb: 'create', responseStatus: { code: 201 }, objectRef: { resource: 'pods', namespace: 'ml', name: 'p' }, annotations: { 'pod-security.kubernetes.io/audit-violations': 'would violate PodSecurity "restricted:latest": privileged' } }))).toEqual(['AUDITLOG_POD_SECURITY_VIOLATION']);
    expect(fired(event({ verb: 'get', requestURI: '/healthz', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }))).toEqual([]);
    expect(fired(event({ verb: 'list', requestURI: '/api/v1/pods', user: { username: 'system:anonymous', groups: ['system:unauthenticated'] }, objectRef: { resource: 'pods' } }))).toEqual(['AUDITLOG_ANONYMOUS_REQUEST']);
    expect(fired(event({ verb: 'list', requestURI: '/api/v1/pods', user: { username: 'system:anonymous' }, responseStatus: { code: 403 }, annotations: { 'authorization.k8s.io/decision': 'forbid' } }))).toEqual([]);
    expect(fired(event({ verb: 'get', requestURI: '/api/v1/nodes', user: { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } }))).toEqual(['AUDITLOG_SYSTEM_MASTERS_REQUEST']);
    expect(fired(event({ verb: 'get', requestURI: '/api/v1/nodes', impersonatedUser: { username: 'x', groups: ['system:masters'] } }))).toEqual(['AUDITLOG_SYSTEM_MASTERS_REQUEST']);
  });
});

describe('the rule index', () => {
  it('keeps exactly the alerts of evaluating every rule, on the whole corpus and the written events', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { SHARED } = await import('../helpers/shared.js');
    const { readEvents } = await import('../../src/auditlog/events.js');
    const corpus = join(SHARED, 'corpus/audit-events');
    const files = JSON.parse(readFileSync(join(corpus, 'files.json'), 'utf8')) as Array<{ file: string }>;
    const events = files.flatMap((f) => readEvents(f.file, readFileSync(join(corpus, f.file), 'utf8')).events.map((e) => e.event));
    events.push(exec('iris-predictor-1', 'ml'), exec('web', 'web', { stage: 'ResponseComplete' }), event({ verb: 'create', objectRef: { resource: 'clusterrolebindings' }, requestObject: { roleRef: { name: 'cluster-admin' } } }));
    // A fresh auditID each, so de-duplication leaves every match to compare.
    const bare = events.map((e, i) => ({ ...e, auditID: `unique-${i}` }) as Json);
    const engine = new AuditLogEngine(loaded);
    const ctx = loaded.context();
    let total = 0;
    for (const e of bare) {
      ctx.reset(e);
      const all = loaded.enabled.filter((r) => r.condition(ctx)).map((r) => r.name);
      expect(engine.process(e, { file: 'f', line: 1, column: 1 }).map((a) => a.rule)).toEqual(all);
      total += all.length;
    }
    expect(events.length).toBeGreaterThan(190);
    expect(total).toBeGreaterThan(20);
  });
});
