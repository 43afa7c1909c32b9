#!/usr/bin/env node
/**
 * Writes src/knowledge/meshFields.ts: the fields each Calico, Cilium and Istio kind palisade reads may
 * hold, as the API server's schema says, so a misspelt field is reported instead of silently dropped.
 * Run from the repository root with the git directories of the three upstream API repositories:
 *
 *   node scripts/mesh-fields.mjs <istio/api git dir> <projectcalico/api git dir> <cilium/cilium-cli git dir>
 *
 * - Istio: the CRDs' openAPIV3Schema (kubernetes/customresourcedefinitions.gen.yaml).
 * - Calico: the Go types of projectcalico.org/v3 (pkg/apis/projectcalico/v3), served by Calico's API
 *   server, which decodes them with these json tags.
 * - Cilium: the Go types of cilium.io/v2 and pkg/policy/api, vendored in cilium-cli (the cilium/cilium
 *   repository itself is too large to mirror here).
 * A tree node is 0 (a scalar), 1 (anything: a free-form object), [node] (a list), { "*": node } (a map)
 * or { field: node } (an object).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const [istioDir, calicoDir, ciliumDir] = process.argv.slice(2);
if (!istioDir || !calicoDir || !ciliumDir) {
  process.stderr.write('usage: node scripts/mesh-fields.mjs <istio/api git dir> <projectcalico/api git dir> <cilium/cilium-cli git dir>\n');
  process.exit(2);
}
const git = (dir, ...args) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const show = (dir, path) => git(dir, 'show', `HEAD:${path}`);
const commit = (dir) => git(dir, 'rev-parse', 'HEAD').trim();

// ---- Istio: CRD schemas ----
const ISTIO_KINDS = {
  'security.istio.io': ['AuthorizationPolicy', 'PeerAuthentication'],
  'networking.istio.io': ['Sidecar', 'ServiceEntry', 'Gateway', 'VirtualService'],
};

function fromOpenApi(schema) {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields']) return 1;
  if (schema.type === 'array') return [fromOpenApi(schema.items)];
  if (schema.properties) return Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, fromOpenApi(v)]));
  if (schema.additionalProperties !== undefined) return { '*': schema.additionalProperties === true ? 1 : fromOpenApi(schema.additionalProperties) };
  if (schema.type === 'object') return 1;
  return 0;
}

const trees = {};
for (const doc of show(istioDir, 'kubernetes/customresourcedefinitions.gen.yaml').split(/^---$/m)) {
  const crd = parse(doc);
  const group = crd?.spec?.group;
  const kind = crd?.spec?.names?.kind;
  if (!ISTIO_KINDS[group]?.includes(kind)) continue;
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions[0];
  const spec = version.schema.openAPIV3Schema.properties.spec;
  trees[`${group}/${kind}`] = { apiVersion: 0, kind: 0, metadata: 1, spec: fromOpenApi(spec), status: 1 };
}

// ---- Go types (Calico, Cilium) ----

/** Struct and named types of Go source files: fields with their json names and Go types. */
function goTypes(sources) {
  const structs = new Map();
  const named = new Map();
  for (const [pkg, text] of sources) {
    for (const m of text.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
      const fields = [];
      for (const line of m[2].split('\n')) {
        const f = line.match(/^\s*(?:(\w+)\s+)?([*\[\]\w.]+)\s+`json:"([^"]*)"/);
        if (!f) continue;
        const [name, ...opts] = f[3].split(',');
        if (name === '-') continue;
        fields.push({ json: name, type: f[2], inline: opts.includes('inline') || (!f[1] && name === '') });
      }
      structs.set(`${pkg}.${m[1]}`, fields);
    }
    for (const m of text.matchAll(/^type (\w+) ([*\[\]\w.]+)$/gm)) if (m[2] !== 'struct') named.set(`${pkg}.${m[1]}`, m[2]);
  }
  return { structs, named };
}

function goTree(types, pkg, type, special, seen = new Set()) {
  if (type.startsWith('*')) return goTree(types, pkg, type.slice(1), special, seen);
  if (type.startsWith('[]')) return [goTree(types, pkg, type.slice(2), special, seen)];
  const map = type.match(/^map\[\w+\](.+)$/);
  if (map) return { '*': goTree(types, pkg, map[1], special, seen) };
  const [p, t] = type.includes('.') ? type.split('.') : [pkg, type];
  const key = `${p}.${t}`;
  if (special[key] !== undefined) return special[key];
  if (types.named.has(key)) return goTree(types, p, types.named.get(key), special, seen);
  const fields = types.structs.get(key);
  if (!fields) return 0; // a scalar, or a type with its own JSON form (numorstring, resource quantities)
  if (seen.has(key)) return 1; // a recursive type: not in these APIs, but never loop
  const out = {};
  for (const f of fields) {
    const sub = goTree(types, p, f.type, special, new Set([...seen, key]));
    if (f.inline) {
      if (typeof sub === 'object' && !Array.isArray(sub)) Object.assign(out, sub);
    } else out[f.json] = sub;
  }
  return out;
}

const LABEL_SELECTOR = { matchLabels: { '*': 0 }, matchExpressions: [{ key: 0, operator: 0, values: [0] }] };
const TOP = { apiVersion: 0, kind: 0, metadata: 1, status: 1 };

const calicoFiles = git(calicoDir, 'ls-tree', '--name-only', 'HEAD', 'pkg/apis/projectcalico/v3/').split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.includes('zz_generated'));
const calico = goTypes(calicoFiles.map((f) => ['v3', show(calicoDir, f)]));
const CALICO_KINDS = { NetworkPolicy: 'NetworkPolicySpec', GlobalNetworkPolicy: 'GlobalNetworkPolicySpec', NetworkSet: 'NetworkSetSpec', GlobalNetworkSet: 'GlobalNetworkSetSpec', HostEndpoint: 'HostEndpointSpec', Profile: 'ProfileSpec', Tier: 'TierSpec' };
for (const [kind, spec] of Object.entries(CALICO_KINDS)) trees[`projectcalico.org/${kind}`] = { ...TOP, spec: goTree(calico, 'v3', spec, { 'metav1.LabelSelector': LABEL_SELECTOR }) };

const V = 'vendor/github.com/cilium/cilium/pkg/';
const ciliumFiles = [
  ...git(ciliumDir, 'ls-tree', '--name-only', 'HEAD', `${V}policy/api/`).split('\n').filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.includes('zz_generated')).map((f) => ['api', f]),
  ['v2', `${V}k8s/apis/cilium.io/v2/cnp_types.go`],
  ['v2', `${V}k8s/apis/cilium.io/v2/ccnp_types.go`],
];
const cilium = goTypes(ciliumFiles.map(([pkg, f]) => [pkg, show(ciliumDir, f)]));
const CILIUM_SPECIAL = { 'api.EndpointSelector': LABEL_SELECTOR, 'slim_metav1.LabelSelector': LABEL_SELECTOR, 'kafka.PortRule': 1 };
const ciliumRule = goTree(cilium, 'api', 'Rule', CILIUM_SPECIAL);
// Fields of earlier Cilium releases the newest API no longer has (Kafka and proxylib L7 rules):
// policies written for those clusters are still read without a warning.
for (const direction of ['ingress', 'egress']) Object.assign(ciliumRule[direction][0].toPorts[0].rules, { kafka: 1, l7proto: 0, l7: [{ '*': 0 }] });
for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']) trees[`cilium.io/${kind}`] = { ...TOP, spec: ciliumRule, specs: [ciliumRule] };

// Subtrees that recur (a Calico rule, a label selector, Istio's StringMatch) are written once, as a
// const named after the first field that holds one, and referred to by name.
const counts = new Map();
const keyOf = new Map();
function count(node) {
  if (typeof node !== 'object') return JSON.stringify(node);
  const text = Array.isArray(node) ? `[${count(node[0])}]` : `{${Object.entries(node).map(([k, v]) => `${JSON.stringify(k)}:${count(v)}`).join(',')}}`;
  keyOf.set(node, text);
  counts.set(text, (counts.get(text) ?? 0) + 1);
  return text;
}
Object.values(trees).forEach(count);
const names = new Map();
const used = new Set(['MESH_FIELDS']);
function nameFor(field) {
  const base = field.replace(/[^A-Za-z0-9]/g, '') || 'node';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}${i}`;
  used.add(name);
  return name;
}
const definitions = [];
function emit(node, field, indent, defining = false) {
  if (typeof node !== 'object') return String(node);
  const text = keyOf.get(node);
  if (!defining && !Array.isArray(node) && counts.get(text) > 1 && text.length > 40) {
    if (!names.has(text)) {
      const name = nameFor(field);
      names.set(text, name);
      definitions.push({ name, text: emit(node, field, '', true), length: text.length });
    }
    return names.get(text);
  }
  if (Array.isArray(node)) return `[${emit(node[0], field, indent)}]`;
  const inner = `${indent}  `;
  return `{\n${Object.entries(node).map(([k, v]) => `${inner}${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${emit(v, k, inner)},`).join('\n')}\n${indent}}`;
}
const table = emit(trees, 'MESH_FIELDS', '', true);
// Inner subtrees are shorter than the ones holding them: shortest first defines each before its use.
definitions.sort((a, b) => a.length - b.length);

const sources = [
  `istio/api ${commit(istioDir)} (kubernetes/customresourcedefinitions.gen.yaml)`,
  `projectcalico/api ${commit(calicoDir)} (pkg/apis/projectcalico/v3)`,
  `cilium/cilium-cli ${commit(ciliumDir)} (vendored cilium pkg/policy/api, pkg/k8s/apis/cilium.io/v2)`,
];
const body = `/**
 * The fields each Calico, Cilium and Istio kind palisade reads may hold, from the upstream schemas:
${sources.map((s) => ` * - ${s}`).join('\n')}
 * Generated by scripts/mesh-fields.mjs; do not edit by hand. A node is 0 (a scalar), 1 (anything),
 * [node] (a list), { '*': node } (a map) or { field: node } (an object). Keys are \`<group>/<Kind>\`.
 * A subtree that recurs is a const named after the first field that holds it.
 */
export type FieldTree = 0 | 1 | readonly FieldTree[] | { readonly [field: string]: FieldTree };

${definitions.map((d) => `const ${d.name}: FieldTree = ${d.text};\n`).join('\n')}
export const MESH_FIELDS: Readonly<Record<string, FieldTree>> = ${table};
`;
writeFileSync('src/knowledge/meshFields.ts', body);
process.stderr.write(`${Object.keys(trees).length} kinds: ${Object.keys(trees).join(', ')}\n`);
