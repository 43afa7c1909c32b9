/**
 * Seeds and mutations for the network-layer targets: the inputs of the mesh conformance corpus
 * (shared/conformance/mesh), its held-out part (test/fixtures/mesh-heldout) and np-guard's corpus
 * (shared/conformance/netpol), each case as a list of documents, plus hostile documents made here
 * (deep Calico selectors, many CIDRs, huge port ranges, regex paths and FQDN patterns, Istio path
 * templates, ClusterNetworkPolicies). Only small cases are kept, so an input runs in milliseconds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHARED = join(REPO, '..', 'shared');
const MAX_CASE_BYTES = 24_000;

/** The JS values of a text's documents, a top-level sequence's items as documents of their own; undefined if any does not parse. */
export function documentsOf(text) {
  const docs = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    if (doc.errors.length > 0) return undefined;
    const value = doc.toJS({ maxAliasCount: 100 });
    if (Array.isArray(value)) docs.push(...value.filter((v) => v && typeof v === 'object'));
    else if (value && typeof value === 'object') docs.push(value);
  }
  return docs;
}

function caseFromFiles(name, files) {
  const docs = [];
  let bytes = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    bytes += text.length;
    if (bytes > MAX_CASE_BYTES) return undefined;
    const d = documentsOf(text);
    if (!d) return undefined;
    docs.push(...d);
  }
  return docs.length > 0 ? { name, docs } : undefined;
}

function meshCases(root, label) {
  const out = [];
  for (const family of ['calico', 'istio', 'cilium']) {
    const dir = join(root, family);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const caseFile = join(dir, name, 'case.json');
      if (!existsSync(caseFile)) continue;
      const c = JSON.parse(readFileSync(caseFile, 'utf8'));
      const seed = caseFromFiles(`${label}/${family}/${name}`, c.inputs.map((i) => join(dir, name, i)));
      if (seed) out.push(seed);
    }
  }
  return out;
}

function netpolCases(root) {
  const out = [];
  const walk = (dir) => {
    const entries = readdirSync(dir).sort();
    const files = entries.map((e) => join(dir, e)).filter((p) => /\.(ya?ml|json)$/.test(p) && statSync(p).isFile());
    if (files.length > 0) {
      const seed = caseFromFiles(`netpol/${relative(root, dir)}`, files);
      if (seed) out.push(seed);
    }
    for (const e of entries) if (statSync(join(dir, e)).isDirectory()) walk(join(dir, e));
  };
  if (existsSync(root)) walk(root);
  return out;
}

let cached;
/** Every corpus case small enough to fuzz, read once. */
export function corpusCases() {
  cached ??= [...meshCases(join(SHARED, 'conformance', 'mesh'), 'mesh'), ...meshCases(join(REPO, 'test', 'fixtures', 'mesh-heldout'), 'heldout'), ...netpolCases(join(SHARED, 'conformance', 'netpol'))];
  return cached;
}

const pod = (ns, name, labels, extra = {}) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { serviceAccountName: extra.sa ?? 'default', containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }] } });
const namespace = (name, labels = {}) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'kubernetes.io/metadata.name': name, ...labels } } });
const topology = () => [namespace('a', { team: 'x' }), namespace('b'), pod('a', 'web', { app: 'web' }, { sa: 'web' }), pod('a', 'db', { app: 'db' }), pod('b', 'client', { app: 'client', 'istio.io/rev': 'x' }, { sa: 'client' })];

function ip(rng) {
  return `${rng.pick([10, 172, 192, 8])}.${rng.int(256)}.${rng.int(256)}.${rng.int(256)}`;
}

function nested(rng, depth) {
  const leaf = rng.pick(["app == 'web'", 'has(app)', "app in {'web', 'db'}", "app starts with 'w'", 'all()', "!has(x) && app != 'db'"]);
  switch (rng.int(4)) {
    case 0:
      return `${'!('.repeat(depth)}${leaf}${')'.repeat(depth)}`;
    case 1:
      return `${'('.repeat(depth)}${leaf}${')'.repeat(depth)}`;
    case 2:
      return Array.from({ length: depth }, (_, i) => `k${i % 50} == 'v${i}'`).join(rng.pick([' && ', ' || ']));
    default:
      return `app in {${Array.from({ length: depth }, (_, i) => `'v${i}'`).join(', ')}}`;
  }
}

/** Hostile documents over a small topology; each returns the topology and its policies. */
const HOSTILE = [
  (rng) => [{ apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: 'deep' }, spec: { selector: nested(rng, rng.pick([3, 50, 400, 3000])), types: ['Ingress'], ingress: [{ action: 'Allow', source: { selector: nested(rng, rng.pick([2, 100, 1000])) } }] } }],
  (rng) => [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'cidrs', namespace: 'a' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ from: Array.from({ length: rng.pick([5, 200, 2000]) }, () => ({ ipBlock: { cidr: `${ip(rng)}/${8 + rng.int(25)}` } })) }], egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: Array.from({ length: rng.pick([3, 300]) }, () => `${ip(rng)}/32`) } }] }] } }],
  (rng) => [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'ports', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ ports: Array.from({ length: rng.pick([3, 500, 5000]) }, (_, i) => (rng.chance(0.5) ? { port: 1 + ((i * 13) % 65535), endPort: Math.min(65535, 1 + ((i * 13) % 65535) + rng.int(1000)) } : { port: rng.pick(['http', 'dns', 1, 65535]), protocol: rng.pick(['TCP', 'UDP', 'SCTP']) })) }] } }],
  (rng) => [{ apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'calico-ports', namespace: 'a' }, spec: { order: rng.pick([1, 1000, 1e9, -5, 0.5]), selector: 'all()', ingress: [{ action: rng.pick(['Allow', 'Deny', 'Pass', 'Log']), protocol: rng.pick(['TCP', 'UDP', 'ICMP', 6, 255]), source: { nets: Array.from({ length: rng.pick([1, 100, 1000]) }, () => `${ip(rng)}/${16 + rng.int(17)}`), notPorts: ['1:65535'] }, destination: { ports: Array.from({ length: rng.pick([1, 100, 2000]) }, (_, i) => rng.pick([`${i + 1}:${65535 - i}`, i + 1, 'http', 'dns'])) } }], egress: [{ action: 'Allow', destination: { namespaceSelector: nested(rng, 20), serviceAccounts: { names: ['web'] } } }] } }],
  (rng) => [{ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'paths', namespace: 'a' }, spec: { action: rng.pick(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']), selector: { matchLabels: { app: 'web' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/b/sa/client', '*'], notNamespaces: ['a'] } }], to: [{ operation: { paths: Array.from({ length: rng.pick([2, 8, 20]) }, (_, i) => rng.pick([`/x${i}/{*}/{**}`, `/{*}${'/{*}'.repeat(rng.int(40))}`, `*${i}`, `/p${i}*`, '/{**}/{**}', '/a/{*}.b', `/${'a'.repeat(rng.int(3000))}`])), methods: ['GET', 'POST', '*'], ports: ['8080', '65536', 'x'], hosts: ['*.example.com', 'web.a.svc.cluster.local'] } }], when: [{ key: 'request.headers[x]', values: ['y'] }] }] } }],
  (rng) => [{ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'l7', namespace: 'a' }, spec: { endpointSelector: { matchLabels: { app: 'web' } }, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'b' } }], toPorts: [{ ports: [{ port: '8080', endPort: rng.pick([8080, 65535, 70000]), protocol: 'TCP' }], rules: { http: [{ method: rng.pick(['GET', '(GET|POST)', '(a+)+$', '(', '.*']), path: rng.pick(['/api/.*', '(a|aa)+$', `${'(.*a)'.repeat(rng.int(30))}`, '/v[0-9]+/x', '[', '.*suffix']), headers: ['X-Token: 1'] }] } }] }], egress: [{ toFQDNs: [{ matchPattern: rng.pick(['*', '**.example.com', `${'*'.repeat(rng.int(200))}z.com`, `${'*a'.repeat(rng.int(200))}.com`, '*.*.*.*.*.*.com']) }, { matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }], rules: { dns: [{ matchPattern: rng.pick(['*', `${'*'.repeat(rng.int(100))}`]) }] } }] }] } }],
  (rng) => [{ apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'cidrs' }, spec: { endpointSelector: {}, egress: [{ toCIDRSet: Array.from({ length: rng.pick([3, 500]) }, () => ({ cidr: `${ip(rng)}/${8 + rng.int(25)}`, except: [`${ip(rng)}/32`] })), toEntities: [rng.pick(['world', 'cluster', 'all', 'host', 'kube-apiserver', 'bogus'])] }], egressDeny: [{ toPorts: [{ ports: [{ port: '0', endPort: 65535 }] }] }] } }],
  (rng) => [
    { apiVersion: 'policy.networking.k8s.io/v1alpha2', kind: 'ClusterNetworkPolicy', metadata: { name: 'cnp' }, spec: { tier: rng.pick(['Admin', 'Baseline', 'admin']), priority: rng.pick([0, 10, 1000, -1, 1e6]), subject: rng.chance(0.5) ? { namespaces: {} } : { pods: { namespaceSelector: { matchLabels: { team: 'x' } }, podSelector: { matchExpressions: [{ key: 'app', operator: rng.pick(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus']), values: ['web', 'db'] }] } } }, ingress: [{ action: rng.pick(['Accept', 'Deny', 'Pass', 'Allow']), from: [{ namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }], protocols: [rng.pick([{ tcp: { destinationPort: { number: 8080 } } }, { udp: { destinationPort: { range: { start: 1, end: 65535 } } } }, { destinationNamedPort: 'http' }, { sctp: {} }])] }], egress: [{ action: 'Deny', to: [rng.pick([{ networks: ['0.0.0.0/0', '::/0'] }, { nodes: { matchLabels: {} } }, { domainNames: ['*.example.com'] }, { pods: { namespaceSelector: {}, podSelector: {} } }])] }] } },
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: rng.pick(['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy']), metadata: { name: 'default' }, spec: { priority: rng.pick([1, 99, 1001]), subject: { namespaces: {} }, ingress: [{ name: 'r', action: rng.pick(['Allow', 'Deny', 'Pass']), from: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'client' } } } }], ports: [{ portRange: { start: 1, end: 65535, protocol: 'TCP' } }, { namedPort: 'http' }] }] } },
  ],
  (rng) => [
    { apiVersion: 'security.istio.io/v1beta1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: rng.pick(['istio-system', 'a']) }, spec: { mtls: { mode: rng.pick(['STRICT', 'PERMISSIVE', 'DISABLE', 'bogus']) }, portLevelMtls: { 8080: { mode: 'DISABLE' } } } },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'b' }, spec: { egress: [{ hosts: [rng.pick(['./*', 'a/*', '*/web.a.svc.cluster.local', 'istio-system/*', '~/*'])] }], outboundTrafficPolicy: { mode: rng.pick(['REGISTRY_ONLY', 'ALLOW_ANY']) } } },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'ServiceEntry', metadata: { name: 'ext', namespace: 'b' }, spec: { hosts: [rng.pick(['api.example.com', '*.example.com', '*'])], ports: [{ number: rng.pick([443, 0, 70000]), name: 'https', protocol: rng.pick(['TLS', 'HTTPS', 'TCP', 'HTTP']) }], location: 'MESH_EXTERNAL', resolution: rng.pick(['DNS', 'NONE', 'STATIC']), exportTo: [rng.pick(['.', '*', 'a'])] } },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'b' }, spec: { selector: { app: 'client' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*/*.example.com', 'a/web.example.com'] }] } },
    { apiVersion: 'networking.istio.io/v1beta1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'b' }, spec: { hosts: ['web.example.com'], gateways: ['gw', 'mesh'], http: [{ match: [{ uri: rng.pick([{ prefix: '/api' }, { exact: '/x' }, { regex: '(a+)+$' }]), method: rng.pick([{ exact: 'GET' }, { regex: '(' }, { regex: '(G|P).*' }, { prefix: 'P' }]) }], route: [{ destination: { host: 'web.a.svc.cluster.local', port: { number: 8080 } } }] }], tcp: [{ match: [{ port: 27017 }], route: [{ destination: { host: 'db.a.svc.cluster.local' } }] }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'a' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } },
  ],
];

/** A small topology and one hostile policy family. */
export function hostileCase(rng) {
  const k = rng.int(HOSTILE.length);
  return { name: `hostile/${k}`, docs: [...topology(), ...HOSTILE[k](rng)] };
}

const NASTY_STRINGS = ['', '*', '**', '/', '{**}', '/{*}/{**}/{*}', '(a+)+$', '(', '[', '\\', '0.0.0.0/0', '::/0', '10.0.0.0/33', '300.1.1.1/8', '1:65535', '65535:1', '0', '-1', '80-90', 'http', 'TCP', 'ICMP', 'all()', 'global()', "!(has(a) || a == 'b')", "a in {'x'", "has(", 'cluster.local/ns/a/sa/web', '*.example.com', '~', '.', '\u0000', '\uFEFF', 'ä', 'a'.repeat(5000), '0x1F', '1e400', 'true', 'null'];
const NASTY_VALUES = [null, true, false, 0, -1, 1.5, 65535, 65536, 2 ** 31, 2 ** 53 + 1, 1e300, [], {}, [null], [{}], { matchLabels: null }, { matchLabels: { '': '' } }, { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }];
const KEYS = ['podSelector', 'namespaceSelector', 'selector', 'namespaceSelector', 'matchLabels', 'matchExpressions', 'ipBlock', 'ports', 'port', 'endPort', 'protocol', 'from', 'to', 'ingress', 'egress', 'ingressDeny', 'egressDeny', 'action', 'order', 'tier', 'priority', 'types', 'policyTypes', 'nets', 'notNets', 'notSelector', 'serviceAccounts', 'http', 'paths', 'notPaths', 'methods', 'hosts', 'principals', 'namespaces', 'toFQDNs', 'toEntities', 'fromEntities', 'toCIDRSet', 'rules', 'mtls', 'exportTo', 'gateways', 'subject', 'networks', 'applyOnForward', 'doNotTrack'];

/** Every (parent, key) slot of a JS value. */
function slots(value, out = [], depth = 0) {
  if (depth > 40 || value === null || typeof value !== 'object') return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    out.push([value, key]);
    slots(value[key], out, depth + 1);
  }
  return out;
}

/** One structural mutation of a document (in place): a hostile value, a type swap, a dropped key, a grown list, a key from another kind. */
export function mutateDoc(rng, doc, donors) {
  const all = slots(doc);
  if (all.length === 0) return;
  const [parent, key] = rng.pick(all);
  const value = parent[key];
  switch (rng.int(8)) {
    case 0:
      parent[key] = rng.pick(NASTY_STRINGS);
      break;
    case 1:
      parent[key] = structuredClone(rng.pick(NASTY_VALUES));
      break;
    case 2:
      if (Array.isArray(parent)) parent.splice(key, 1);
      else delete parent[key];
      break;
    case 3:
      if (Array.isArray(value) && value.length > 0) parent[key] = Array.from({ length: rng.pick([2, 10, 30]) }, (_, i) => structuredClone(value[i % value.length]));
      else parent[key] = [value, value];
      break;
    case 4:
      if (typeof value === 'string') parent[key] = rng.chance(0.5) ? value.toUpperCase() : `${value}${rng.pick(NASTY_STRINGS)}`;
      else if (typeof value === 'number') parent[key] = rng.chance(0.5) ? String(value) : value + rng.pick([-1, 1, 65535, 0.5]);
      else parent[key] = JSON.stringify(value) ?? 'x';
      break;
    case 5:
      if (!Array.isArray(parent)) parent[rng.pick(KEYS)] = structuredClone(rng.chance(0.5) ? value : rng.pick(NASTY_VALUES));
      break;
    case 6: {
      // a subtree from another document, so rules of one kind meet the fields of another
      const donor = rng.pick(donors);
      const theirs = donor ? slots(donor) : [];
      if (theirs.length) {
        const [p, k] = rng.pick(theirs);
        parent[key] = structuredClone(p[k]);
      }
      break;
    }
    default:
      if (typeof value === 'string' && /[=!(&|]/.test(value)) parent[key] = nested(rng, rng.pick([5, 200, 2000]));
      else parent[key] = structuredClone(value);
  }
}
