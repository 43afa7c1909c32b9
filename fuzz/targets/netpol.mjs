/**
 * Network layers (Kubernetes NetworkPolicy, Admin/Baseline and ClusterNetworkPolicy, Calico, Cilium,
 * Istio) through what `palisade netpol matrix|explain|diff` call: corpus cases (lib/netpol-seeds.mjs)
 * mutated as documents or as text, and hostile policies. Each input: no throw, bounded time and
 * memory, every problem at a file:line:column inside the input, the same output twice, `explain`
 * agreeing with the matrix; and, when the input is valid, one metamorphic property:
 * - reorder: the documents shuffled and split over other files give the same matrix. Calico
 *   policies (and Kubernetes NetworkPolicies beside them, read at order 1000) keep their relative
 *   order: equal orders are decided by input order, as NCA's insort does (calico/policy.ts);
 *   inputs with two objects of one kind, namespace and name are left out (the later one wins).
 * - unrelated: a namespace with a pod and a deny-all NetworkPolicy added changes no other pair.
 *   Left out when a policy names no namespace (MESH_NAMESPACE_ASSUMED): palisade reads it in the
 *   one namespace of all the pods, else default (cilium/policy.ts impliedNamespace), so a pod in a
 *   new namespace moves it.
 * - rename: a namespace renamed in every document renames it in the output; namespaces with a
 *   meaning of their own (default, kube-system, istio-system ...) and names inside wildcards or
 *   regexes (a rename would change what the pattern matches) are left out.
 * - diff: the input against itself differs nowhere (meshDiff / diffCompactMatrices).
 * - pairwise: meshMatrix agrees with meshMatrixPairwise, the pair-by-pair definition.
 */
import { stringify } from 'yaml';
import { loadText } from '../../dist/core/load.js';
import { buildModel, computeCompactMatrix, isMeshResource, toConnections } from '../../dist/netpol/reach/index.js';
import { explain } from '../../dist/netpol/explain.js';
import { diffCompactMatrices } from '../../dist/netpol/diff.js';
import { buildMeshModel, buildMeshModelPair, expandTopLevelSequences, explainMesh, meshDiff, meshMatrix } from '../../dist/netpol/layers/index.js';
import { meshMatrixPairwise } from '../../dist/netpol/layers/matrix.js';
import { check, failure, loop, mutateText } from '../lib/hostile.mjs';
import { corpusCases, hostileCase, mutateDoc } from '../lib/netpol-seeds.mjs';

export const name = 'netpol';

const ALPHABET = ['{', '}', '[', ']', ':', ',', '-', ' ', '\n', '  ', '"', "'", '*', '/', '!', '&&', '||', '(', ')', '==', 'all()', '0.0.0.0/0', '65535', '-1', 'null', '~', '&a', '*a', '---', 'Pass', 'Deny', 'ALLOW'];
const CALICO_ORDERED = new Set(['NetworkPolicy', 'GlobalNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy', 'StagedKubernetesNetworkPolicy']);
const SPECIAL_NAMESPACES = /^(default|kube-.*|istio-system|istio-ingress|calico-.*|tigera-.*|cilium.*|ingress-nginx|openshift.*)$/;
const UNRELATED = 'fz-unrelated';

/** Documents as files: consecutive runs, each file YAML or a JSON stream. */
function render(rng, docs, fileCount = 1 + rng.int(3)) {
  const files = Array.from({ length: fileCount }, (_, i) => ({ path: `in${i}.yaml`, docs: [] }));
  docs.forEach((d, i) => files[Math.min(fileCount - 1, Math.floor((i * fileCount) / Math.max(1, docs.length)))].docs.push(d));
  return files.map((f) => ({ path: f.path, text: rng.chance(0.2) ? f.docs.map((d) => JSON.stringify(d)).join('\n') : f.docs.map((d) => stringify(d, { aliasDuplicateObjects: false, lineWidth: 0 })).join('---\n') }));
}

/** What the CLI computes: the load, both models, the problems and the matrix lines (pod resolution). */
async function analyse(files) {
  const loaded = { inputs: files.map((f) => f.path), resources: [], dockerfiles: [], errors: [], skipped: 0, files: files.length };
  for (const f of files) {
    const one = loadText(f.path, f.text);
    loaded.resources.push(...one.resources);
    loaded.errors.push(...one.errors);
  }
  const texts = new Map(files.map((f) => [f.path, f.text]));
  await expandTopLevelSequences(loaded, async (p) => texts.get(p) ?? '');
  const model = buildModel(loaded.resources, 'cluster');
  const problems = [...loaded.errors, ...model.errors, ...model.warnings];
  let errors = model.errors.length;
  if (loaded.resources.some(isMeshResource)) {
    const mesh = buildMeshModel(loaded.resources);
    problems.push(...mesh.errors, ...mesh.warnings);
    errors += mesh.errors.length;
    const connections = errors === 0 ? meshMatrix(mesh, 'pod') : [];
    return { loaded, model, mesh, problems, errors, connections, lines: connections.map((c) => `${c.src} => ${c.dst} : ${JSON.stringify(c.conns)}`) };
  }
  const connections = errors === 0 ? toConnections(computeCompactMatrix(model, loaded.resources)) : [];
  return { loaded, model, problems, errors, connections, lines: connections.map((c) => `${c.src} => ${c.dst} : ${c.conns}${c.srcAddresses ? ` from ${JSON.stringify(c.srcAddresses)}` : ''}${c.dstAddresses ? ` to ${JSON.stringify(c.dstAddresses)}` : ''}`) };
}

const sorted = (lines) => [...lines].sort();
const same = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
const show = (files) => files.map((f) => `# ${f.path}\n${f.text}`).join('\n');

/** The first difference of two line lists, for the message. */
function firstDifference(a, b) {
  const x = new Set(a);
  const y = new Set(b);
  const gone = [...x].find((l) => !y.has(l));
  const added = [...y].find((l) => !x.has(l));
  return `${gone ? `lost "${gone.slice(0, 300)}"` : ''}${added ? ` gained "${added.slice(0, 300)}"` : ''}`;
}

/** Every problem says where it is, inside the input; none carries a stack trace. */
function misplaced(result, files) {
  const lines = new Map(files.map((f) => [f.path, f.text.split('\n')]));
  for (const p of result.problems) {
    const text = typeof p.format === 'function' ? p.format() : String(p.message);
    if (/\n\s+at .*:\d+:\d+\)?/.test(text)) return `stack trace in a problem: ${text.slice(0, 400)}`;
    const l = p.location;
    if (!l) return `problem without a location: ${p.code} ${p.message}`;
    const file = lines.get(l.file);
    if (!file) return `problem in a file that is not an input: ${p.code} ${l.file}`;
    if (!(l.line >= 1 && l.line <= file.length + 1 && l.column >= 1 && l.column <= (file[l.line - 1] ?? '').length + 2)) return `problem outside its file: ${p.code} at ${l.file}:${l.line}:${l.column} (${file.length} lines): ${p.message}`;
  }
  return undefined;
}

/** `explain` (one pair) agrees with the matrix: allowed exactly when the matrix lists the pair, with the same connections. */
function explainDisagrees(rng, result) {
  if (result.errors > 0) return undefined;
  if (result.mesh) {
    const eps = result.mesh.topology.endpoints;
    if (eps.length < 2) return undefined;
    const src = rng.pick(eps);
    const dst = rng.pick(eps);
    if (src === dst || src.name === dst.name) return undefined;
    const e = explainMesh(result.mesh, src, dst, undefined, undefined, 'pod');
    const row = result.connections.find((c) => c.src === src.name && c.dst === dst.name);
    if (e.allowed !== Boolean(row)) return `explain ${src.name} => ${dst.name} says ${e.allowed ? 'allowed' : 'denied'}, the matrix ${row ? JSON.stringify(row.conns) : 'has no row'}`;
    if (row && JSON.stringify(row.conns) !== JSON.stringify(e.conns)) return `explain ${src.name} => ${dst.name} allows ${JSON.stringify(e.conns)}, the matrix ${JSON.stringify(row.conns)}`;
    return undefined;
  }
  const pods = result.model.pods;
  if (pods.length < 2) return undefined;
  const src = rng.pick(pods);
  const dst = rng.pick(pods);
  if (src === dst) return undefined;
  const e = explain(result.model, src.id, dst.id);
  const row = result.connections.find((c) => c.src === src.id && c.dst === dst.id);
  if (!e) return `explain found no ${src.id} or ${dst.id}`;
  if (e.allowed !== Boolean(row)) return `explain ${src.id} => ${dst.id} says ${e.allowed ? 'allowed' : 'denied'}, the matrix ${row ? row.conns : 'has no row'}`;
  return undefined;
}

const keyOf = (d) => `${d?.kind}\u0000${d?.metadata?.namespace ?? ''}\u0000${d?.metadata?.name ?? ''}`;

/** A shuffle that keeps the Calico-ordered documents in their relative order. */
function constrainedShuffle(rng, docs) {
  const calico = docs.some((d) => String(d?.apiVersion ?? '').startsWith('projectcalico.org/'));
  const pinned = (d) => calico && CALICO_ORDERED.has(d?.kind);
  const free = docs.filter((d) => !pinned(d));
  for (let i = free.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [free[i], free[j]] = [free[j], free[i]];
  }
  const slotsOfPinned = docs.map((d) => pinned(d));
  // the pinned ones go to random positions, in their order; the free ones fill the rest
  const order = docs.filter(pinned);
  const out = [];
  let p = 0;
  let f = 0;
  for (let i = 0; i < docs.length; i++) {
    const takePinned = p < order.length && (f >= free.length || rng.chance(order.length / docs.length));
    out.push(takePinned ? order[p++] : free[f++]);
  }
  void slotsOfPinned;
  return out;
}

function namespacesOf(docs) {
  const names = new Set();
  for (const d of docs) {
    const ns = d?.metadata?.namespace;
    if (typeof ns === 'string') names.add(ns);
    if (d?.kind === 'Namespace' && typeof d?.metadata?.name === 'string') names.add(d.metadata.name);
  }
  return [...names].filter((n) => /^[a-z][a-z0-9-]{1,40}[a-z0-9]$/.test(n) && !SPECIAL_NAMESPACES.test(n)).sort();
}

const token = (x) => new RegExp(`(?<![A-Za-z0-9_-])${x.replace(/[-.]/g, '\\$&')}(?![A-Za-z0-9_-])`, 'g');

async function metamorphic(rng, docs, base, files) {
  const kind = rng.pick(['reorder', 'unrelated', 'rename', 'diff', 'pairwise']);
  if (kind === 'reorder') {
    const keys = docs.map(keyOf);
    // nameless objects are named by their position (default/Pod#3): a shuffle renames them
    if (new Set(keys).size !== keys.length || docs.some((d) => typeof d?.metadata?.name !== 'string' || d.metadata.name === '')) return undefined;
    const other = render(rng, constrainedShuffle(rng, docs));
    const r = await analyse(other);
    if (r.errors !== 0) return `reordered, the input has ${r.errors} errors (it had none): ${r.problems.map((p) => p.code).join(' ')}\n${show(other)}`;
    if (!same(base.lines, r.lines)) return `reordered documents change the matrix: ${firstDifference(base.lines, r.lines)}\n${show(other)}`;
    return undefined;
  }
  if (kind === 'unrelated') {
    if (base.problems.some((p) => p.code === 'MESH_NAMESPACE_ASSUMED')) return undefined;
    const extra = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: UNRELATED, labels: { 'kubernetes.io/metadata.name': UNRELATED } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'lonely', namespace: UNRELATED, labels: { fz: 'unrelated' } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 9999 }] }] } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: UNRELATED }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    ];
    const other = render(rng, [...docs, ...extra]);
    const r = await analyse(other);
    if (r.errors !== 0) return `with an unrelated namespace added, the input has ${r.errors} errors: ${r.problems.map((p) => p.code).join(' ')}`;
    const mine = (l) => !l.includes(`${UNRELATED}/`);
    const kept = r.lines.filter((l) => l.split(' : ')[0].split(' => ').every((end) => !end.startsWith(`${UNRELATED}/`)));
    void mine;
    if (!same(base.lines, kept)) return `an unrelated namespace changes other pairs: ${firstDifference(base.lines, kept)}\n${show(other)}`;
    return undefined;
  }
  if (kind === 'rename') {
    const candidates = namespacesOf(docs);
    if (candidates.length === 0) return undefined;
    const from = rng.pick(candidates);
    const to = `${from}-rn`;
    const json = JSON.stringify(docs);
    // a name inside a wildcard or a regex: renaming it changes what the pattern matches
    if (new RegExp(`[*^$\\\\(|\\[{]${from}|${from}[*$\\\\)|\\]}+?]`).test(json) || json.includes(to) || json.includes(`${from}-`)) return undefined;
    const re = token(from);
    const renamed = JSON.parse(json.replace(re, to));
    const r = await analyse(render(rng, renamed, files.length));
    if (r.errors !== 0) return `renaming namespace ${from} gives ${r.errors} errors: ${r.problems.map((p) => p.code).join(' ')}`;
    const expected = base.lines.map((l) => l.replace(re, to));
    if (!same(expected, r.lines)) return `renaming namespace ${from} to ${to} is not a renaming of the output: ${firstDifference(expected, r.lines)}`;
    return undefined;
  }
  if (kind === 'diff') {
    const again = await analyse(render(rng, docs));
    if (base.mesh) {
      const pair = buildMeshModelPair(base.loaded.resources, again.loaded.resources);
      const d = meshDiff(pair.before, pair.after, 'pod');
      if (d.length > 0) return `netpol diff of an input with itself: ${JSON.stringify(d[0]).slice(0, 400)}`;
      return undefined;
    }
    const a = computeCompactMatrix(base.model, base.loaded.resources);
    const b = computeCompactMatrix(again.model, again.loaded.resources);
    const d = diffCompactMatrices(a, b);
    if (d.length > 0) return `netpol diff of an input with itself: ${JSON.stringify(d[0]).slice(0, 400)}`;
    return undefined;
  }
  if (base.mesh) {
    const pairwise = meshMatrixPairwise(base.mesh, 'pod');
    const lines = pairwise.map((c) => `${c.src} => ${c.dst} : ${JSON.stringify(c.conns)}`);
    if (JSON.stringify(lines) !== JSON.stringify(base.lines)) return `meshMatrix and meshMatrixPairwise disagree: ${firstDifference(lines, base.lines)}`;
  }
  return undefined;
}

export async function run({ budgetMs, rng }) {
  const corpus = corpusCases();
  const pool = [];
  return loop(budgetMs, async () => {
    const seed = rng.chance(0.25) ? hostileCase(rng) : rng.pick(corpus);
    let docs = structuredClone(seed.docs);
    let files;
    const how = rng.int(10);
    if (how < 3) files = render(rng, docs);
    else if (how < 8) {
      for (let k = 1 + rng.int(3); k > 0; k--) mutateDoc(rng, rng.pick(docs), [rng.pick(rng.pick(corpus).docs), ...docs]);
      files = render(rng, docs);
    } else {
      files = render(rng, docs);
      const f = rng.pick(files);
      f.text = mutateText(rng, f.text, pool.length ? pool : [f.text], ALPHABET);
      docs = undefined;
    }
    pool.push(files[0].text);
    if (pool.length > 16) pool.shift();
    const input = () => show(files);
    const out = await check(name, `${seed.name} (${how < 3 ? 'as is' : how < 8 ? 'documents mutated' : 'text mutated'})\n${input()}`, () => analyse(files));
    if (out.failure) return out.failure;
    const result = out.value;
    const bad = misplaced(result, files);
    if (bad) return failure(name, `${seed.name}: ${bad}`, input());
    const again = await analyse(files);
    if (JSON.stringify(again.lines) !== JSON.stringify(result.lines) || JSON.stringify(again.problems.map((p) => p.format())) !== JSON.stringify(result.problems.map((p) => p.format()))) return failure(name, `${seed.name}: the same input gave another output the second time`, input());
    const wrong = explainDisagrees(rng, result);
    if (wrong) return failure(name, `${seed.name}: ${wrong}`, input());
    if (docs && result.errors === 0) {
      const m = await check(name, input(), () => metamorphic(rng, docs, result, files));
      if (m.failure) return m.failure;
      if (m.value) return failure(name, `${seed.name}: ${m.value}`, input());
    }
    return undefined;
  });
}

