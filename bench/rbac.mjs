// palisade rbac who-can on a generated cluster of 10,000 roles and 20,000 bindings. Prints one JSON
// line per figure, with a baseline measured in the same run (JSON.parse of the same input):
//   {"bench", "size", "ms", "baselineMs", "ratio", ...}
// Run after `npx tsc -p tsconfig.build.json`: node bench/rbac.mjs [roles] [bindings]
import { addObject, emptyInput, parseRequest, RbacModel, whoCan } from '../dist/rbac/index.js';

const ROLES = Number(process.argv[2] ?? 10_000);
const BINDINGS = Number(process.argv[3] ?? 20_000);
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES = [['', 'pods'], ['', 'secrets'], ['', 'configmaps'], ['apps', 'deployments'], ['batch', 'jobs'], ['', 'pods/exec'], ['serving.kserve.io', 'inferenceservices'], ['ray.io', 'rayclusters']];

/** Deterministic (mulberry32), so every run measures the same cluster. */
let seed = 42;
const rand = (n) => {
  let t = (seed = (seed + 0x6d2b79f5) | 0);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) % n;
};

function cluster() {
  const docs = [];
  const namespaces = Math.max(1, Math.round(ROLES / 20));
  const clusterRoles = Math.round(ROLES / 5);
  for (let i = 0; i < ROLES; i++) {
    const rules = [];
    for (let r = 0; r < 3; r++) {
      const [group, resource] = RESOURCES[rand(RESOURCES.length)];
      rules.push({ apiGroups: [group], resources: [resource], verbs: [VERBS[rand(VERBS.length)], VERBS[rand(VERBS.length)]], ...(rand(10) === 0 ? { resourceNames: [`obj-${rand(50)}`] } : {}) });
    }
    if (i < clusterRoles) docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `cr-${i}`, labels: { tier: `t${i % 7}` } }, rules });
    else docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: `r-${i}`, namespace: `ns-${i % namespaces}` }, rules });
  }
  // A few aggregated ClusterRoles, as admin/edit/view are.
  for (let t = 0; t < 7; t++) docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `agg-${t}` }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { tier: `t${t}` } }] }, rules: [] });
  for (let b = 0; b < BINDINGS; b++) {
    const ns = `ns-${rand(namespaces)}`;
    const subjects = [{ kind: 'ServiceAccount', name: `sa-${rand(30)}`, namespace: ns }, { kind: rand(2) ? 'User' : 'Group', name: `${rand(2) ? 'user' : 'group'}-${rand(500)}` }];
    if (b % 10 === 0) docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: `crb-${b}` }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: rand(20) === 0 ? `agg-${rand(7)}` : `cr-${rand(clusterRoles)}` }, subjects });
    else if (b % 3 === 0) docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${b}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `cr-${rand(clusterRoles)}` }, subjects });
    else docs.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: `rb-${b}`, namespace: ns }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `r-${clusterRoles + rand(ROLES - clusterRoles)}` }, subjects });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs });
}

const text = cluster();
const best = (f, runs = 3) => {
  let min = Infinity;
  let value;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    value = f();
    min = Math.min(min, performance.now() - t);
  }
  return { ms: min, value };
};

const baseline = best(() => JSON.parse(text));
const items = baseline.value.items;
const build = best(() => {
  const input = emptyInput();
  items.forEach((object, i) => addObject(input, { object, ref: { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? `#${i}` } }));
  return new RbacModel(input);
});
const model = build.value;
const round = (x) => Math.round(x * 100) / 100;
console.log(JSON.stringify({ bench: 'rbac-build-model', size: { roles: ROLES, bindings: BINDINGS, grants: model.grants.length }, ms: round(build.ms), baselineMs: round(baseline.ms), baseline: 'JSON.parse of the same input', ratio: round(build.ms / baseline.ms) }));
for (const [verb, target, namespace] of [['get', 'secrets', undefined], ['create', 'pods/exec', undefined], ['create', 'deployments', 'ns-3'], ['get', 'secrets/obj-7', undefined]]) {
  const request = parseRequest(verb, target, model, namespace);
  const q = best(() => whoCan(model, { request, ...(namespace ? { namespace } : {}) }));
  const ms = round(q.ms);
  console.log(JSON.stringify({ bench: 'rbac-who-can', query: `${verb} ${target}${namespace ? ` -n ${namespace}` : ''}`, size: { roles: ROLES, bindings: BINDINGS }, subjects: q.value.length, ms, baselineMs: round(baseline.ms), ratio: round(q.ms / baseline.ms), withinBudget: q.ms <= 1000 }));
}
