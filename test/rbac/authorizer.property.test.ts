import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addObject, authorize, emptyInput, RbacModel, whoCan, subjectKey, type Request } from '../../src/rbac/index.js';
import { naiveAllowed, naiveWhoCan, type NaiveIdentity, type NaiveRequest } from './naive.js';

/**
 * The engine against the naive authorizer of naive.ts on random RBAC objects drawn from a small
 * vocabulary that hits the corners: `*` and `*`/sub wildcards, the literal `pods/*`, resourceNames,
 * trailing-`*` URLs, ServiceAccount subjects without namespace, ClusterRoleBindings to Roles,
 * dangling refs, nested and looping aggregation, broad groups, system:masters, and roles (the later
 * one is read) and bindings (both grant) defined twice.
 */
const VERBS = ['get', 'list', 'create', 'delete', 'bind', 'impersonate', '*'];
const GROUPS = ['', 'apps', 'rbac.authorization.k8s.io', '*'];
const RESOURCES = ['pods', 'pods/exec', '*/exec', 'pods/*', '*', 'secrets', 'deployments', 'clusterroles', 'users', 'pods/log'];
const URLS = ['/healthz', '/healthz/*', '/api*', '*', '/metrics', '/api/**'];
const NAMES = ['a', 'b'];
const NAMESPACES = ['ns1', 'ns2'];
const LABELS = ['x', 'y'];

const sub = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 0, maxLength: Math.min(3, values.length) });
const rule = fc.record({
  verbs: sub(VERBS),
  apiGroups: sub(GROUPS),
  resources: sub(RESOURCES),
  resourceNames: fc.oneof(fc.constant([] as string[]), sub(NAMES)),
  nonResourceURLs: fc.oneof(fc.constant([] as string[]), sub(URLS)),
});
const subject = fc.oneof(
  fc.record({ kind: fc.constant('User'), name: fc.constantFrom('u1', 'u2', 'system:serviceaccount:ns1:sa1') }),
  fc.record({ kind: fc.constant('Group'), name: fc.constantFrom('g1', 'system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated', 'system:masters') }),
  fc.record({ kind: fc.constant('ServiceAccount'), name: fc.constantFrom('sa1', 'sa2'), namespace: fc.constantFrom('ns1', 'ns2', '') }),
  fc.record({ kind: fc.constant('Serviceaccount'), name: fc.constant('sa1'), namespace: fc.constant('ns1') }),
);

const objects = fc
  .record({
    clusterRoles: fc.array(fc.record({ nameIndex: fc.nat(4), rules: fc.array(rule, { minLength: 1, maxLength: 3 }), label: fc.constantFrom(...LABELS, ''), aggregates: fc.constantFrom(...LABELS, '', '') }), { maxLength: 4 }),
    roles: fc.array(fc.record({ namespace: fc.constantFrom(...NAMESPACES), rules: fc.array(rule, { maxLength: 3 }) }), { maxLength: 3 }),
    bindings: fc.array(
      fc.record({
        cluster: fc.boolean(),
        nameIndex: fc.nat(2),
        namespace: fc.constantFrom(...NAMESPACES),
        refKind: fc.constantFrom('ClusterRole', 'Role', 'Role', 'ClusterRole', 'Bogus'),
        refIndex: fc.nat(4),
        subjects: fc.array(subject, { minLength: 1, maxLength: 3 }),
      }),
      { minLength: 1, maxLength: 6 },
    ),
  })
  .map(({ clusterRoles, roles, bindings }) => {
    const out: Array<Record<string, unknown>> = [];
    clusterRoles.forEach((r, i) =>
      out.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        // names may repeat: the later definition is the one applied
        metadata: { name: `cr${i % 2 === 0 ? i : r.nameIndex}`, labels: r.label ? { agg: r.label } : {} },
        rules: r.rules,
        ...(r.aggregates ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { agg: r.aggregates } }] } } : {}),
      }),
    );
    roles.forEach((r, i) => out.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r${i}`, namespace: r.namespace }, rules: r.rules }));
    bindings.forEach((b) =>
      out.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: b.cluster ? 'ClusterRoleBinding' : 'RoleBinding',
        metadata: { name: `b${b.nameIndex}`, ...(b.cluster ? {} : { namespace: b.namespace }) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: b.refKind, name: b.refKind === 'Role' ? `r${b.refIndex}` : `cr${b.refIndex}` },
        subjects: b.subjects.map((s) => ({ ...s, ...('namespace' in s && s.namespace === '' ? { namespace: undefined } : {}) })),
      }),
    );
    return out;
  });

/** Every request of a small vocabulary is asked of every generated model: rare alignments are not left to chance. */
const REQUESTS: NaiveRequest[] = [];
for (const verb of ['get', 'list', 'create', 'bind', 'impersonate'])
  for (const apiGroup of ['', 'apps', 'rbac.authorization.k8s.io'])
    for (const resource of ['pods', 'secrets', 'deployments', 'clusterroles', 'users'])
      for (const subresource of [undefined, 'exec', '*'])
        for (const name of ['', 'a'])
          for (const namespace of ['', 'ns1', 'ns2']) REQUESTS.push({ verb, apiGroup, resource, ...(subresource ? { subresource } : {}), name, namespace });
for (const verb of ['get', 'post']) for (const path of ['/healthz', '/healthz/live', '/api', '/apis/apps', '/metrics', '/api/']) REQUESTS.push({ verb, path });

const IDENTITIES: NaiveIdentity[] = [
  { user: 'u1', groups: ['g1', 'system:authenticated'] },
  { user: 'u2', groups: ['system:authenticated'] },
  { user: 'system:serviceaccount:ns1:sa1', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:authenticated'] },
  { user: 'system:serviceaccount:ns2:sa2', groups: ['system:serviceaccounts', 'system:serviceaccounts:ns2', 'system:authenticated'] },
  { user: 'admin', groups: ['system:masters'] },
];

const toRequest = (r: NaiveRequest): Request =>
  r.path !== undefined ? { verb: r.verb, path: r.path } : { verb: r.verb, apiGroup: r.apiGroup!, resource: r.resource!, ...(r.subresource ? { subresource: r.subresource } : {}), name: r.name ?? '', namespace: r.namespace ?? '' };

function modelOf(objs: Array<Record<string, unknown>>): RbacModel {
  const input = emptyInput();
  objs.forEach((object, i) => addObject(input, { object, ref: { apiVersion: String(object.apiVersion), kind: String(object.kind), name: `o${i}` } }));
  return new RbacModel(input);
}

describe('authorizer vs the naive reading of the documentation', () => {
  it('authorize agrees on every request of the vocabulary, for every identity', () => {
    fc.assert(
      fc.property(objects, (objs) => {
        const model = modelOf(objs);
        for (const who of IDENTITIES) for (const req of REQUESTS) if (authorize(model, who, toRequest(req)).allowed !== naiveAllowed(objs, who, req)) expect({ who, req, engine: authorize(model, who, toRequest(req)).allowed }).toEqual({ who, req, engine: naiveAllowed(objs, who, req) });
      }),
      { numRuns: 40 },
    );
  });

  it('whoCan lists exactly the subjects the naive authorizer finds, per namespace', () => {
    fc.assert(
      fc.property(objects, (objs) => {
        const model = modelOf(objs);
        // Namespaced resources asked in one namespace (the scope table is data, tested apart), and URLs.
        for (const req of REQUESTS) {
          if (req.path === undefined && (req.resource === 'clusterroles' || req.resource === 'users' || !req.namespace)) continue;
          const answer = whoCan(model, { request: toRequest(req), ...(req.namespace ? { namespace: req.namespace } : {}) });
          const found = answer.map((s) => subjectKey(s.subject).replace(/^ServiceAccount:([^:]*):/, 'ServiceAccount:$1/')).sort();
          const expected = naiveWhoCan(objs, req);
          if (found.join() !== expected.join()) expect({ req, found }).toEqual({ req, found: expected });
        }
      }),
      { numRuns: 40 },
    );
  });
});
