/**
 * RBAC: Roles, ClusterRoles (with aggregationRule), RoleBindings, ClusterRoleBindings and
 * ServiceAccounts, drawn from a vocabulary that hits the authorizer's corners (wildcard verbs, groups
 * and resources, `*`/sub and the literal `pods/*`, resourceNames, trailing-`*` URLs, subjects of every
 * kind, duplicate names, self-referencing and looping aggregation, bindings to missing roles) or taken
 * from shared/corpus/rbac, written as a YAML stream or JSON, then mutated. The loader, the model, the
 * audit (RBAC rules included), authorize, whoCan, permissions and attack paths run on each input:
 * no throw, 5 s, 1 GB; every error and finding at a line:column inside the file. Schema-valid inputs
 * are also held to the naive authorizer of lib/rbac-oracle.mjs (transcribed from the Kubernetes
 * sources) on sampled requests and identities, with one document replaced by a broken one 30% of
 * the time: the others must all be read and give the same answers as without it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { loadText } from '../../dist/core/load.js';
import { audit } from '../../dist/audit/index.js';
import { attackPaths, authorize, buildModel, identityOf, permissions, RbacContext, subjectKey, whoCan } from '../../dist/rbac/index.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';
import { NaiveCluster } from '../lib/rbac-oracle.mjs';
import { jsonOf, mutateValue } from '../lib/values.mjs';

export const name = 'rbac';

const RBAC = 'rbac.authorization.k8s.io/v1';
const VERBS = ['get', 'list', 'create', 'delete', 'bind', 'escalate', 'impersonate', '*', 'GET', ''];
const GROUPS = ['', 'apps', 'rbac.authorization.k8s.io', '*', 'APPS'];
const RESOURCES = ['pods', 'pods/exec', '*/exec', 'pods/*', '*', 'secrets', 'deployments', 'clusterroles', 'pods/log', '*/*', 'Pods', 'secrets/', '*/', 'exec'];
const OBJECT_NAMES = ['a', 'b', '', 'ä', 'a*'];
const URLS = ['/healthz', '/healthz/*', '/api*', '*', '/metrics', '/api/**', '/', '/healthz*', 'healthz'];
const NAMESPACES = ['ns1', 'ns2', undefined, 'default', 'kube-system', ''];
const ROLE_NAMES = ['r0', 'r1', 'r2', 'ä-role', 'system:aggregate-to-edit', 'cluster-admin', 'admin', 'missing'];
const LABEL_KEYS = ['agg', 'x'];
const LABEL_VALUES = ['true', 'y', ''];
const ID_NAMES = ['u1', 'u2', 'ä', 'system:serviceaccount:ns1:sa1', 'system:anonymous', ''];
const GROUP_NAMES = ['g1', 'system:serviceaccounts', 'system:serviceaccounts:ns1', 'system:serviceaccounts:default', 'system:authenticated', 'system:unauthenticated', 'system:masters'];
const SA_NAMES = ['sa1', 'sa2', 'default'];
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'namespace', 'labels', 'rules', 'verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs', 'aggregationRule', 'clusterRoleSelectors', 'matchLabels', 'roleRef', 'subjects'];

const IDENTITIES = [
  { user: 'u1', groups: ['g1', 'system:authenticated'] },
  { user: 'u2', groups: ['system:authenticated'] },
  { user: 'ä', groups: ['system:authenticated'] },
  { user: 'system:anonymous', groups: ['system:unauthenticated'] },
  ...['ns1/sa1', 'ns2/sa2', 'default/default', 'ns1/default', 'kube-system/sa1'].map((id) => {
    const [ns, sa] = id.split('/');
    return { user: `system:serviceaccount:${ns}:${sa}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'] };
  }),
  { user: '', groups: ['system:serviceaccounts:ns1'] },
  { user: 'admin', groups: ['system:masters'] },
];

const sub = (rng, values, max = 3) => Array.from({ length: rng.int(max + 1) }, () => rng.pick(values));

function rule(rng) {
  const r = {};
  if (rng.chance(0.2)) {
    r.verbs = sub(rng, VERBS);
    r.nonResourceURLs = [rng.pick(URLS), ...sub(rng, URLS, 2)];
    return r;
  }
  r.verbs = sub(rng, VERBS);
  r.apiGroups = sub(rng, GROUPS);
  r.resources = sub(rng, RESOURCES);
  if (rng.chance(0.3)) r.resourceNames = sub(rng, OBJECT_NAMES, 2);
  if (rng.chance(0.05)) r.nonResourceURLs = sub(rng, URLS, 2);
  // huge lists: thousands of verbs or resources, the one that matters at the end
  if (rng.chance(0.03)) r.verbs = [...Array.from({ length: 3000 }, (_, i) => `v${i}`), rng.pick(VERBS)];
  if (rng.chance(0.03)) r.resources = [...Array.from({ length: 3000 }, (_, i) => `res${i}`), rng.pick(RESOURCES)];
  return r;
}

function selector(rng) {
  switch (rng.int(5)) {
    case 0:
      return {};
    case 1:
      return { matchExpressions: [{ key: rng.pick(LABEL_KEYS), operator: rng.pick(['Exists', 'DoesNotExist']) }] };
    case 2:
      return { matchExpressions: [{ key: rng.pick(LABEL_KEYS), operator: rng.pick(['In', 'NotIn']), values: [rng.pick(LABEL_VALUES), ...sub(rng, LABEL_VALUES, 1)] }] };
    default:
      return { matchLabels: { [rng.pick(LABEL_KEYS)]: rng.pick(LABEL_VALUES) } };
  }
}

function metadata(rng, name, namespaced) {
  const m = { name };
  if (namespaced) {
    const ns = rng.pick(NAMESPACES);
    if (ns !== undefined) m.namespace = ns;
  }
  if (rng.chance(0.4)) m.labels = { [rng.pick(LABEL_KEYS)]: rng.pick(LABEL_VALUES) };
  if (rng.chance(0.05)) m.annotations = { 'rbac.authorization.kubernetes.io/autoupdate': rng.pick(['false', 'true']) };
  return m;
}

function subject(rng) {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: rng.pick(ID_NAMES) };
    case 2:
      return { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: rng.pick(GROUP_NAMES) };
    case 3:
    case 4: {
      const s = { kind: 'ServiceAccount', name: rng.pick(SA_NAMES) };
      const ns = rng.pick(NAMESPACES);
      if (ns !== undefined) s.namespace = ns;
      return s;
    }
    default:
      // kinds the authorizer ignores
      return { kind: rng.pick(['serviceaccount', 'user', 'Group ', 'SystemGroup']), name: rng.pick([...ID_NAMES, ...GROUP_NAMES]) };
  }
}

/** Schema-valid RBAC documents (and ServiceAccounts), as a cluster could hold them. */
function generate(rng) {
  const docs = [];
  const n = 2 + rng.int(8);
  for (let i = 0; i < n; i++) {
    const roleName = rng.pick(ROLE_NAMES);
    switch (rng.int(6)) {
      case 0: {
        const doc = { apiVersion: RBAC, kind: 'ClusterRole', metadata: metadata(rng, roleName, false), rules: Array.from({ length: rng.int(4) }, () => rule(rng)) };
        // cluster-admin with an aggregationRule is reconciled and aggregated at once: left out
        if (roleName !== 'cluster-admin' && rng.chance(0.4)) doc.aggregationRule = { clusterRoleSelectors: Array.from({ length: rng.int(3) }, () => selector(rng)) };
        docs.push(doc);
        break;
      }
      case 1:
        docs.push({ apiVersion: RBAC, kind: 'Role', metadata: metadata(rng, roleName, true), rules: Array.from({ length: rng.int(4) }, () => rule(rng)) });
        break;
      case 2:
      case 3: {
        const cluster = rng.chance(0.4);
        const subjects = rng.chance(0.02) ? Array.from({ length: 1000 }, () => subject(rng)) : Array.from({ length: rng.int(4) }, () => subject(rng));
        docs.push({ apiVersion: RBAC, kind: cluster ? 'ClusterRoleBinding' : 'RoleBinding', metadata: metadata(rng, `b${rng.int(4)}`, !cluster), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: rng.pick(['Role', 'ClusterRole', 'ClusterRole', 'Bogus']), name: roleName }, subjects });
        break;
      }
      case 4:
        docs.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: metadata(rng, rng.pick(SA_NAMES), true), ...(rng.chance(0.3) ? { automountServiceAccountToken: rng.chance(0.5) } : {}) });
        break;
      default:
        // the RBAC kinds under another group are not RBAC
        docs.push({ apiVersion: rng.pick(['v1', 'rbac.authorization.k8s.io/v1beta1', 'example.com/v1']), kind: rng.pick(['Role', 'ClusterRoleBinding']), metadata: { name: roleName }, rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }], roleRef: { kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'Group', name: 'system:authenticated' }] });
    }
  }
  return docs;
}

/** The corpus: every YAML file of shared/corpus/rbac, as documents (read once). */
let corpus;
function corpusDocs() {
  if (corpus) return corpus;
  corpus = [];
  const root = fileURLToPath(new URL('../../../shared/corpus/rbac/', import.meta.url));
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(entry)) {
        const docs = parseAllDocuments(readFileSync(path, 'utf8'))
          .filter((d) => d.errors.length === 0)
          .map((d) => d.toJS())
          .filter((d) => d && typeof d === 'object' && !Array.isArray(d));
        if (docs.length) corpus.push(docs.flatMap((d) => (d.kind === 'List' && Array.isArray(d.items) ? d.items : [d])));
      }
    }
  };
  walk(root);
  return corpus;
}

/** Documents the API server would accept the types of (what the oracle may be asked about). */
function schemaValid(doc) {
  const strs = (v) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  const str = (v) => v === undefined || typeof v === 'string';
  const obj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
  const strMap = (v) => v === undefined || (obj(v) && Object.values(v).every((x) => typeof x === 'string'));
  if (!obj(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string' || !obj(doc.metadata) || typeof doc.metadata.name !== 'string' || !str(doc.metadata.namespace) || !strMap(doc.metadata.labels) || !strMap(doc.metadata.annotations)) return false;
  if (doc.kind === 'Role' || doc.kind === 'ClusterRole') {
    if (!(doc.rules === undefined || (Array.isArray(doc.rules) && doc.rules.every((r) => obj(r) && ['verbs', 'apiGroups', 'resources', 'resourceNames', 'nonResourceURLs'].every((k) => strs(r[k])))))) return false;
    if (doc.aggregationRule === undefined) return true;
    if (!obj(doc.aggregationRule) || !(doc.aggregationRule.clusterRoleSelectors === undefined || Array.isArray(doc.aggregationRule.clusterRoleSelectors))) return false;
    return (doc.aggregationRule.clusterRoleSelectors ?? []).every((s) => obj(s) && strMap(s.matchLabels) && (s.matchExpressions === undefined || (Array.isArray(s.matchExpressions) && s.matchExpressions.every((e) => obj(e) && typeof e.key === 'string' && ['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator) && strs(e.values) && ((e.operator === 'In' || e.operator === 'NotIn') === (e.values?.length > 0))))));
  }
  if (doc.kind === 'RoleBinding' || doc.kind === 'ClusterRoleBinding') {
    if (!obj(doc.roleRef) || typeof doc.roleRef.kind !== 'string' || typeof doc.roleRef.name !== 'string') return false;
    return doc.subjects === undefined || (Array.isArray(doc.subjects) && doc.subjects.every((s) => obj(s) && typeof s.kind === 'string' && typeof s.name === 'string' && str(s.namespace)));
  }
  return true;
}

const BROKEN = ['kind: Role\nmetadata: {name: broken\nrules: [\n', 'a: "unterminated\nb: 1\n', 'a:\n\t- tab\n', 'a: |\n  x\n b: 1\n', 'kind: ClusterRole\nmetadata: *nowhere\n', '{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "x"}\n', 'a: "\\q"\n', `x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`, 'key: [a, b\nother: ]\n'];

/** Block YAML, or JSON (flow YAML) for a value nested too deep for the writer. */
function yamlOf(doc) {
  try {
    return stringify(doc, { lineWidth: 0, version: '1.1' }); // the loader reads YAML 1.1, where y and on are booleans
  } catch (error) {
    if (error instanceof RangeError) return `${JSON.stringify(doc)}\n`;
    throw error;
  }
}

/** The documents as one file: a YAML stream (block or flow documents), a JSON List or a JSON stream. */
function write(rng, docs, broken) {
  const form = broken !== undefined ? 0 : rng.int(4);
  if (form === 2) return { text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: docs }, null, rng.pick([0, 2])), spans: undefined };
  if (form === 3) return { text: docs.map((d) => JSON.stringify(d)).join('\n') + '\n', spans: undefined };
  let text = '';
  let line = 1;
  const spans = [];
  docs.forEach((doc, i) => {
    const body = i === broken ? rng.pick(BROKEN) : rng.chance(0.2) ? `${JSON.stringify(doc)}\n` : yamlOf(doc);
    if (i > 0) {
      text += '---\n';
      line++;
    }
    const lines = body.split('\n').length - 1;
    spans.push([line, line + lines - 1]);
    text += body;
    line += lines;
  });
  return { text, spans };
}

function request(rng) {
  if (rng.chance(0.15)) return { verb: rng.pick(['get', 'post', 'GET', 'delete']), path: rng.pick(['/healthz', '/healthz/live', '/api', '/apis/apps', '/metrics', '/api/', '/', 'healthz', '/healthzz']) };
  const subresource = rng.pick([undefined, undefined, 'exec', '*', 'log', '']);
  return { verb: rng.pick(['get', 'list', 'create', 'bind', 'impersonate', 'escalate', 'GET', 'delete']), apiGroup: rng.pick(['', 'apps', 'rbac.authorization.k8s.io', 'APPS']), resource: rng.pick(['pods', 'secrets', 'deployments', 'clusterroles', 'Pods', 'exec']), ...(subresource !== undefined ? { subresource } : {}), name: rng.pick(['', 'a', 'ä', 'a*']), namespace: rng.pick(['', 'ns1', 'ns2', 'default', 'kube-system']) };
}

const describe = (who, req) => `${who.user || '(no user)'} [${who.groups.join(',')}] ${JSON.stringify(req)}`;

/** The engine against the oracle on sampled requests: authorize for every identity, whoCan for namespaced resources and URLs. */
function compare(model, cluster, rng) {
  for (let k = 0; k < 60; k++) {
    const req = request(rng);
    for (const who of IDENTITIES) {
      const engine = authorize(model, who, req).allowed;
      const naive = cluster.allowed(who, req);
      if (engine !== naive) return `authorize disagrees with the Kubernetes authorizer: ${describe(who, req)}: palisade ${engine ? 'allows' : 'denies'}, Kubernetes ${naive ? 'allows' : 'denies'}`;
    }
    if (req.path === undefined && (req.resource === 'clusterroles' || req.resource === 'exec' || req.resource === 'Pods' || !req.namespace)) continue;
    const found = whoCan(model, { request: req, ...(req.path === undefined ? { namespace: req.namespace } : {}) })
      .map((s) => subjectKey(s.subject))
      .sort();
    const expected = cluster.whoCan(req, req.namespace ?? '');
    if (found.join('\n') !== expected.join('\n')) return `whoCan disagrees with the Kubernetes authorizer on ${JSON.stringify(req)}: palisade ${JSON.stringify(found)}, Kubernetes ${JSON.stringify(expected)}`;
  }
  return undefined;
}

function located(l, lines) {
  return l && Number.isInteger(l.line) && Number.isInteger(l.column) && l.line >= 1 && l.line <= lines && l.column >= 1;
}

/** How many inputs reached the oracle (FUZZ_STATS=1 prints it: a property that is never asked proves nothing). */
const stats = { runs: 0, oracle: 0, broken: 0 };

export async function run({ budgetMs, rng }) {
  const pool = [];
  const failures = await loop(budgetMs, async () => {
    stats.runs++;
    const fromCorpus = rng.chance(0.2) && corpusDocs().length > 0;
    let docs = fromCorpus ? structuredClone(rng.pick(corpusDocs())) : generate(rng);
    const roll = rng.int(10);
    // 0-5: schema-valid (oracle), 6-7: mutated as values, 8-9: mutated as text
    if (roll >= 6) for (let k = 1 + rng.int(3); k > 0; k--) mutateValue(rng, rng.pick(docs), KEYS);
    const valid = docs.every(schemaValid);
    const broken = roll < 6 && docs.length > 1 && rng.chance(0.3) ? rng.int(docs.length) : undefined;
    let { text, spans } = write(rng, docs, broken);
    if (jsonOf(docs) === undefined || text.length > 8_000_000) return undefined;
    if (roll >= 8) text = mutateText(rng, text, pool.length ? pool : [text], ['\n', '---\n', ':', '-', '[', ']', '{', '}', '*', '"', "'", '\t', 'ä', '&a', '*a']);
    pool.push(text.slice(0, 4000));
    if (pool.length > 16) pool.shift();

    const out = await check(name, text, () => {
      const loaded = loadText('rbac.yaml', text);
      const model = buildModel(loaded.resources);
      const outcome = audit(loaded);
      const who = rng.pick(IDENTITIES);
      const subjects = model.bindingSubjects.slice(0, 3);
      for (const s of subjects) attackPaths(new RbacContext(model), s);
      permissions(model, who);
      for (const s of subjects) permissions(model, identityOf(s));
      return { loaded, model, outcome };
    });
    if (out.failure) return out.failure;
    const { loaded, model, outcome } = out.value;
    const lines = text.split('\n').length;
    const unlocated = loaded.errors.find((e) => !located(e.location, lines));
    if (unlocated) return failure(name, `load error without a line:column in the file: ${unlocated.code} ${unlocated.message.slice(0, 200)} at ${JSON.stringify(unlocated.location)}`, text);
    const badProblem = model.problems.find((p) => !located(p.location, lines));
    if (badProblem) return failure(name, `RBAC problem without a line:column in the file: ${badProblem.code} ${badProblem.message.slice(0, 200)} at ${JSON.stringify(badProblem.location)}`, text);
    const badFinding = [...outcome.findings, ...outcome.errors].find((f) => f.location !== undefined && !located(f.location, lines));
    if (badFinding) return failure(name, `finding outside the file: ${badFinding.checkId ?? badFinding.code} at ${JSON.stringify(badFinding.location)}`, text);
    if (roll >= 6 || !valid) return undefined;

    let intact = docs;
    if (broken !== undefined) {
      const [from, to] = spans[broken];
      const hit = loaded.errors.find((e) => e.location.line >= from && e.location.line <= to + 1);
      if (!hit) return failure(name, `the broken document at lines ${from}-${to} gave no error inside it (errors: ${JSON.stringify(loaded.errors.map((e) => [e.code, e.location]))})`, text);
      intact = docs.filter((_, i) => i !== broken);
      const read = loaded.resources.filter((r) => {
        const line = r.locate('').line;
        return line < from || line > to;
      }).length;
      if (read !== intact.length) return failure(name, `one broken document hid others: ${intact.length} intact documents, ${read} read`, text);
    } else if (loaded.errors.some((e) => e.code !== 'LOAD_DUPLICATE_KEY')) {
      return failure(name, `a valid input gave load errors: ${loaded.errors.map((e) => `${e.code} ${e.message.slice(0, 120)}`).join('; ')}`, text);
    }
    stats.oracle++;
    if (broken !== undefined) stats.broken++;
    const disagreement = compare(model, new NaiveCluster(intact), rng);
    if (disagreement) {
      if (process.env.FUZZ_DUMP) (await import('node:fs')).writeFileSync(`${process.env.FUZZ_DUMP}/${Date.now()}.yaml`, `# ${disagreement}\n# broken ${broken}\n${text}`);
      return failure(name, disagreement, text);
    }
    return undefined;
  });
  if (process.env.FUZZ_STATS) console.log(`rbac: ${stats.runs} inputs, ${stats.oracle} held to the oracle (${stats.broken} with a broken document)`);
  return failures;
}
