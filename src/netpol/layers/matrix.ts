import type { PalisadeError } from '../../core/errors.js';
import { parse as parseYaml } from 'yaml';
import { loadText, type LoadResult, type Resource } from '../../core/load.js';
import { CalicoLayer } from '../calico/layer.js';
import { operatorNetworkPolicies } from '../operatorPolicies.js';
import { adminPolicySet } from '../build.js';
import { adminTierPolicies } from '../calico/adminTiers.js';
import { calicoL7Patterns, isCalicoPolicy, isK8sNetworkPolicy, parseCalicoLayer } from '../calico/policy.js';
import { atoms, IpSet, type IpFamily } from '../sets/ipSet.js';
import { meshFieldWarnings } from './fields.js';
import { ConnSet, DIM, ICMP_PROTOCOLS, ivEqual, ivIntersect, ivText, makeDomain, METHODS, OTHER_METHOD, PORT_PROTOCOLS, TCP, type Domain, type Intervals } from './connSet.js';
import { endpointClasses } from './classes.js';
import { collectTopology, type Endpoint, type Topology } from './endpoints.js';
import { estimatedClasses, StringClasses } from './l7Classes.js';
import { MeshProblems, type PeerMatch } from './model.js';
import { isAuthorizationPolicy, l7Patterns, parseAuthorizationPolicies } from '../istio/authorizationPolicy.js';
import { IstioLayer } from '../istio/layer.js';
import { markInjection, PeerAuthentications } from '../istio/peerAuthentication.js';
import { parseSidecars, type IstioSidecars } from '../istio/sidecar.js';
import { assumedIngressController, ingressL7Patterns, parseIngresses, type IngressLayer } from '../gateway/ingress.js';
import { assumedGatewayResources, gatewayL7Patterns, parseIstioGateways, type IstioGatewayLayer } from '../gateway/istioGateway.js';
import { CiliumLayer } from '../cilium/layer.js';
import { ciliumL7Patterns } from '../cilium/l7.js';
import { ciliumServices } from '../cilium/services.js';
import { identityLabels, k8sSelectorIdentityWarnings } from '../cilium/identity.js';
import { pruneCrdNulls } from './crdNulls.js';
import { addCiliumIdentity, impliedNamespace, isCiliumInput, parseCiliumPolicies, withNamespace, type CiliumPolicy } from '../cilium/policy.js';

/**
 * The layered reachability engine: Kubernetes NetworkPolicy and Calico at L3/L4 (one ordered layer,
 * as Calico runs them), or, on a Cilium cluster, Kubernetes NetworkPolicy and Cilium's policies as
 * one allow/deny layer; Istio at L7 — a connection needs the egress verdict of its source and the
 * ingress verdict of its destination in every layer. Output follows
 * shared/conformance/mesh/CONVENTIONS.md.
 */

export type Resolution = 'pod' | 'deployment';

export interface MeshModel {
  topology: Topology;
  domain: Domain;
  calico: CalicoLayer;
  istio: IstioLayer;
  /** Istio Sidecar egress and ServiceEntry hosts (the `dns:` destinations). */
  sidecars: IstioSidecars;
  /** Kubernetes Ingress: what the ingress controller's pods may send. */
  ingress: IngressLayer;
  /** Istio gateways (Gateway + VirtualService): what the gateway pods may send; egress gateways: what they accept, and which hosts only they reach. */
  gateways: IstioGatewayLayer;
  /** Present when the input is for a Cilium cluster (then it, not the Calico layer, holds the Kubernetes NetworkPolicies). */
  cilium?: CiliumLayer;
  paths: StringClasses;
  hosts: StringClasses;
  /** Request headers the policies require, in the header dimension's bit order. */
  headers: readonly string[];
  /** External address ranges, split at every bound a rule names. */
  ipAtoms: IpSet[];
  /**
   * Present when the AuthorizationPolicies' patterns were left out of the classes (buildMeshModel's
   * shardL7): their layer is then not exact here, and meshMatrix rebuilds per group of destinations.
   */
  l7Shards?: { given: readonly Resource[]; extra: MeshUniverse; bound: number };
  errors: PalisadeError[];
  warnings: PalisadeError[];
}

export { isMeshResource } from './kinds.js';

/**
 * What a model's classes are made of beyond its own input: path and host patterns the string classes
 * must tell apart, request headers the header dimension must carry, address sets the atoms must be
 * split at. Two models built over one universe (diff.ts) have one domain: their ConnSets compare.
 */
export interface MeshUniverse {
  paths?: readonly string[];
  hosts?: readonly string[];
  headers?: readonly string[];
  ipSets?: readonly IpSet[];
}

/** How buildMeshModel may build: `shardL7` lets a matrix-only model split its L7 classes per destination (see l7Shards). */
export interface MeshBuildOptions {
  shardL7?: boolean;
  /** The class bound past which the model shards (SHARD_CLASSES; tests lower it). */
  shardClasses?: number;
}

/**
 * `extra`: more of the universe than the input names (an intent's paths, see verify.ts; the other revision's, see diff.ts).
 * With `shardL7`, when the AuthorizationPolicies' path and host patterns together would split the strings
 * into more than SHARD_CLASSES classes, the model's classes leave those patterns out and meshMatrix
 * computes each destination in a model of its own (l7Shards): such a model serves meshMatrix only.
 */
export function buildMeshModel(given: readonly Resource[], extra: MeshUniverse = {}, options: MeshBuildOptions = {}): MeshModel {
  if (options.shardL7) {
    const all = l7Patterns(given);
    const bound = options.shardClasses ?? SHARD_CLASSES;
    if (estimatedClasses(all.paths) > bound || estimatedClasses(all.hosts) > bound) {
      const base = buildLayers(given, extra, (r) => !isAuthorizationPolicy(r));
      return { ...base, l7Shards: { given, extra, bound } };
    }
  }
  return buildLayers(given, extra, () => true);
}

/** `l7From`: the resources whose path and host patterns the string classes tell apart (all but in a sharded model's base). */
function buildLayers(given: readonly Resource[], extra: MeshUniverse, l7From: (r: Resource) => boolean): MeshModel {
  const input = pruneCrdNulls(given);
  const assumedGateways = assumedGatewayResources(input);
  const assumedController = assumedIngressController(input);
  const assumed = { resources: [...assumedGateways.resources, ...assumedController.resources], warnings: [...assumedGateways.warnings, ...assumedController.warnings] };
  // The NetworkPolicies operators create (KubeRay's spec.networkPolicy) hold at L3/L4 as the input's own do; the NetworkPolicy model reports them.
  const generated = operatorNetworkPolicies(input).resources;
  const resources = assumed.resources.length + generated.length > 0 ? [...input, ...generated, ...assumed.resources] : input;
  const topology = collectTopology(resources);
  const onCilium = isCiliumInput(resources);
  if (onCilium) addCiliumIdentity(topology);
  markInjection(topology);
  const patterns = l7Patterns(resources.filter(l7From));
  const ingressL7 = ingressL7Patterns(resources);
  const gatewayL7 = gatewayL7Patterns(resources);
  const ciliumL7 = onCilium ? ciliumL7Patterns(resources) : { paths: [], hosts: [], headers: [] };
  const paths = new StringClasses([...patterns.paths, ...ciliumL7.paths, ...ingressL7.paths, ...gatewayL7.paths, ...calicoL7Patterns(resources), ...(extra.paths ?? [])], false);
  const hosts = new StringClasses([...patterns.hosts, ...ciliumL7.hosts, ...ingressL7.hosts, ...gatewayL7.hosts, ...(extra.hosts ?? [])], true);
  // Sorted: a header's bit is its index, the same in every model of one universe.
  const headers = extra.headers && extra.headers.length > 0 ? [...new Set([...ciliumL7.headers, ...extra.headers])].sort() : ciliumL7.headers;
  const domain = makeDomain(paths.size, hosts.size, headers.length);
  const warnings: PalisadeError[] = [...meshFieldWarnings(input), ...assumed.warnings, ...adminPolicyNotes(input, onCilium)];
  const errors: PalisadeError[] = [];
  // Kubernetes NetworkPolicies that name no namespace land where `kubectl apply` would put them.
  const namespace = impliedNamespace(topology);
  const placed = resources.map((r) => {
    const md = (r.object.metadata ?? {}) as Record<string, unknown>;
    if (!isK8sNetworkPolicy(r) || (typeof md.namespace === 'string' && md.namespace !== '') || namespace === 'default') return r;
    const moved = withNamespace(r, namespace);
    warnings.push(moved.warning);
    return moved.resource;
  });
  const k8s = placed.filter(isK8sNetworkPolicy);
  // On Cilium, Kubernetes NetworkPolicies are Cilium policies (one union of allows, denies first).
  const calicoInputs = placed.filter((r) => isCalicoPolicy(r) || (!onCilium && isK8sNetworkPolicy(r)));
  // AdminNetworkPolicy and BaselineAdminNetworkPolicy run in tiers of their own around the default
  // tier (calico/adminTiers.ts); Cilium does not run them (adminPolicyNotes).
  const admin = onCilium ? undefined : adminPolicySet(placed);
  if (admin) {
    errors.push(...admin.errors);
    warnings.push(...admin.warnings);
  }
  const calicoParsed = parseCalicoLayer(calicoInputs, topology, domain, paths, admin ? adminTierPolicies(admin.adminPolicies, admin.baselinePolicies, topology, domain) : []);
  const calico = new CalicoLayer(calicoParsed.policies, domain);
  let cilium: CiliumLayer | undefined;
  const matches: PeerMatch[] = [];
  // Sidecars and ServiceEntries first: Cilium's toFQDNs and world rules name the ServiceEntry hosts.
  const sidecarParsed = parseSidecars(resources, { topology, domain, defaultNamespace: namespace });
  errors.push(...sidecarParsed.errors);
  warnings.push(...sidecarParsed.warnings);
  if (onCilium) {
    // Cilium enforces NetworkPolicies on security identities, as its own policies.
    const fromK8s = parseCalicoLayer(k8s, topology, domain, undefined, [], identityLabels);
    warnings.push(...k8sSelectorIdentityWarnings(k8s));
    const ciliumParsed = parseCiliumPolicies(resources, { topology, domain, paths, hosts, headers, defaultNamespace: namespace, services: ciliumServices(resources, namespace), dnsEntries: sidecarParsed.layer.dnsEntries });
    const policies: CiliumPolicy[] = [...fromK8s.policies.map((p) => ({ ...p, defaultDeny: { ingress: p.ingress !== undefined, egress: p.egress !== undefined } })), ...ciliumParsed.policies];
    cilium = new CiliumLayer(policies, domain);
    errors.push(...fromK8s.errors, ...ciliumParsed.errors);
    warnings.push(...fromK8s.warnings, ...ciliumParsed.warnings);
    matches.push(...policies.flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])].flatMap((r) => [r.src, r.dst])));
  }
  const istioParsed = parseAuthorizationPolicies(resources.filter(isAuthorizationPolicy), { topology, domain, paths, hosts });
  const mtls = PeerAuthentications.parse(resources);
  errors.push(...mtls.errors);
  warnings.push(...mtls.warnings);
  const istio = new IstioLayer(istioParsed.policies, domain, mtls.layer);
  const ingressParsed = parseIngresses(resources, { topology, domain, paths, hosts, defaultNamespace: namespace });
  errors.push(...ingressParsed.errors);
  warnings.push(...ingressParsed.warnings);
  const gatewayParsed = parseIstioGateways(resources, { topology, domain, paths, hosts, defaultNamespace: namespace, dnsEntries: sidecarParsed.layer.dnsEntries });
  errors.push(...gatewayParsed.errors);
  warnings.push(...gatewayParsed.warnings);
  matches.push(...calicoParsed.policies.flatMap((p) => [...(p.ingress ?? []), ...(p.egress ?? [])].flatMap((r) => [r.src, r.dst])), ...istioParsed.policies.flatMap((p) => p.rules.map((r) => r.src)));
  return {
    topology,
    domain,
    calico,
    istio,
    sidecars: sidecarParsed.layer,
    ingress: ingressParsed.layer,
    gateways: gatewayParsed.layer,
    ...(cilium ? { cilium } : {}),
    paths,
    hosts,
    headers,
    ipAtoms: ipAtomsOf(matches, extra.ipSets ?? []),
    errors: [...calicoParsed.errors, ...errors, ...istioParsed.errors],
    warnings: [...calicoParsed.warnings, ...warnings, ...istioParsed.warnings],
  };
}

const ADMIN_KINDS = ['AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'];

/**
 * What the layered matrix assumes about the policy.networking.k8s.io objects, at each one's line:
 * on a Cilium cluster they are left out — Cilium implements none of v1alpha1, and ClusterNetworkPolicy
 * only from v1.20 behind a flag (cilium/cilium#23380, closed 2026-09); with Calico objects they run
 * in Calico's tiers: AdminNetworkPolicy and BaselineAdminNetworkPolicy as v3.29-v3.31 runs them,
 * ClusterNetworkPolicy as v3.32 does (calico/adminTiers.ts). With neither, the CNI is taken to
 * implement the API as written (Admin tier, NetworkPolicy, Baseline tier), which needs no note.
 */
function adminPolicyNotes(resources: readonly Resource[], onCilium: boolean): PalisadeError[] {
  const onCalico = resources.some((r) => String(r.object.apiVersion).startsWith('projectcalico.org/'));
  return resources.flatMap((r) => {
    const kind = String(r.object.kind);
    if (!String(r.object.apiVersion).startsWith('policy.networking.k8s.io/') || !ADMIN_KINDS.includes(kind)) return [];
    const p = new MeshProblems(r);
    if (onCilium) p.warn('MESH_ADMIN_POLICY_NOT_ENFORCED', '/kind', `${kind} on a Cilium cluster`);
    else if (onCalico) p.warn(kind === 'ClusterNetworkPolicy' ? 'MESH_CNP_TIERS_ASSUMED' : 'MESH_ADMIN_TIERS_ASSUMED', '/kind', kind);
    return p.warnings;
  });
}

function ipAtomsOf(matches: readonly PeerMatch[], extra: readonly IpSet[]): IpSet[] {
  const sets: IpSet[] = [...matches.flatMap((m) => m.ips), ...extra];
  // Both families always: the address space outside the cluster is IPv4 and IPv6.
  const families: IpFamily[] = [4, 6];
  return families.flatMap((f) => atoms(f, sets.filter((s) => s.family === f)));
}

type Peer = Endpoint | IpSet;

export interface MeshConnection {
  src: string;
  dst: string;
  conns: 'All' | ConnEntry[];
}

export interface ConnEntry {
  protocol?: string;
  ports?: string;
  src_ports?: string;
  icmp_type?: string;
  icmp_code?: string;
  methods?: string[] | { not: string[] };
  paths?: StringSetJson;
  hosts?: StringSetJson;
  /** Request headers the request must carry ("Name: value"). */
  headers?: string[];
}

export type StringSetJson = (string | { regex: string })[] | { not: string[] };

function members(iv: Intervals): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < iv.length; i += 2) for (let x = iv[i]!; x <= iv[i + 1]!; x++) out.add(x);
  return out;
}

/** The allowed connections from `src` to `dst`: every layer, both ends. */
export function allowedBetween(model: MeshModel, src: Peer, dst: Peer): ConnSet {
  // ServiceEntry hosts are destinations only, judged by the source's proxy (and Cilium, by name): their addresses are unknown.
  if ('kind' in src && src.kind === 'dns') return ConnSet.empty(model.domain);
  if ('kind' in dst && dst.kind === 'dns') {
    if (!('kind' in src) || model.ingress.controllers.has(src)) return ConnSet.empty(model.domain);
    let viaProxy = model.sidecars.egress(src, dst).allowed;
    // Cilium judges the host by its name (toFQDNs, world): see cilium/policy.ts.
    if (model.cilium && !viaProxy.isEmpty()) viaProxy = viaProxy.intersect(model.cilium.verdict(src, 'egress', dst).allowed);
    return model.gateways.judgesEgress(src, dst) ? viaProxy.intersect(model.gateways.egress(src, dst).allowed) : viaProxy;
  }
  let out = ConnSet.all(model.domain);
  if ('kind' in src) out = model.calico.verdict(src, 'egress', dst).allowed;
  if (out.isEmpty()) return out;
  if ('kind' in dst) out = out.intersect(model.calico.verdict(dst, 'ingress', src).allowed);
  if (model.cilium && 'kind' in src && !out.isEmpty()) out = out.intersect(model.cilium.verdict(src, 'egress', dst).allowed);
  if (model.cilium && 'kind' in dst && !out.isEmpty()) out = out.intersect(model.cilium.verdict(dst, 'ingress', src).allowed);
  if ('kind' in dst && !out.isEmpty()) out = out.intersect(model.istio.verdict(dst, src).allowed);
  if ('kind' in dst && !out.isEmpty() && model.gateways.egressFlows.captured.has(dst)) out = out.intersect(model.gateways.ingress(dst, src).allowed);
  if ('kind' in src && !out.isEmpty() && !model.sidecars.empty) out = out.intersect(model.sidecars.egress(src, dst).allowed);
  if ('kind' in src && !out.isEmpty() && model.ingress.controllers.has(src)) out = out.intersect(model.ingress.egress(src, dst).allowed);
  if ('kind' in src && !out.isEmpty() && model.gateways.captured.has(src)) out = out.intersect(model.gateways.egress(src, dst).allowed);
  return out;
}

const peerName = (p: Peer): string => ('kind' in p ? p.name : `ip:${p.toString()}`);

/**
 * Every pair with something allowed, at the requested resolution; no self pairs, no
 * address-to-address pairs. Computed once per pair of endpoint classes (endpoints no layer tells
 * apart, see classes.ts), and only for the destination classes that the source's egress and the
 * destination's ingress candidates leave (a default deny makes most pairs need no evaluation).
 */
export function meshMatrix(model: MeshModel, resolution: Resolution): MeshConnection[] {
  if (model.l7Shards) return shardedMatrix(model, model.l7Shards, resolution);
  return connectionsOf(model, resolution);
}

/** meshMatrixSets' pairs with their connections as JSON, written once for each set the pairs share. */
function connectionsOf(model: MeshModel, resolution: Resolution, keepDst?: (p: Peer) => boolean): MeshConnection[] {
  const json = new Map<ConnSet, 'All' | ConnEntry[]>();
  const jsonOf = (c: ConnSet): 'All' | ConnEntry[] => {
    let out = json.get(c);
    if (!out) json.set(c, (out = connsJson(c, model)));
    return out;
  };
  return meshMatrixSets(model, resolution, keepDst).map((e) => ({ src: e.src, dst: e.dst, conns: jsonOf(e.conns) }));
}

/**
 * The classes a model makes of every AuthorizationPolicy's patterns together grow as the product of
 * its prefixes, suffixes and templates (each prefix can meet each suffix in one string), though a
 * destination only ever sees the patterns of the policies that select it. Past this many, the matrix
 * is computed per group of destinations, each in a model whose classes hold the patterns of that
 * group's policies only (and every other layer's, which may meet any destination).
 */
export const SHARD_CLASSES = 2000;

/** The sharded matrix (buildMeshModel's shardL7): destination groups, by the AuthorizationPolicies that select them, packed into shards. */
function shardedMatrix(base: MeshModel, { given, extra, bound }: NonNullable<MeshModel['l7Shards']>, resolution: Resolution): MeshConnection[] {
  const groupOf = (p: Peer): string => ('kind' in p ? (resolution === 'deployment' ? p.workload : p.name) : peerName(p));
  const apName = (r: Resource): string => {
    const md = (r.object.metadata ?? {}) as Record<string, unknown>;
    return `${typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default'}/${String(md.name ?? '')}`;
  };
  const patternsOf = new Map<string, { paths: string[]; hosts: string[] }>();
  for (const r of given.filter(isAuthorizationPolicy)) {
    const own = l7Patterns([r]);
    const prev = patternsOf.get(apName(r));
    patternsOf.set(apName(r), prev ? { paths: [...prev.paths, ...own.paths], hosts: [...prev.hosts, ...own.hosts] } : own);
  }
  // Each destination group's policies (a group is one shard's: its pairs are unions over its members).
  const policiesOf = new Map<string, Set<string>>();
  for (const ep of base.topology.endpoints) if (ep.kind !== 'dns' && !policiesOf.has(groupOf(ep))) policiesOf.set(groupOf(ep), new Set());
  for (const policy of base.istio.policies) for (const ep of policy.selected) policiesOf.get(groupOf(ep))?.add(policy.name);
  const byKey = new Map<string, { policies: string[]; groups: string[] }>();
  for (const [group, policies] of policiesOf) {
    const names = [...policies].sort();
    const key = names.join('\u0000');
    const entry = byKey.get(key);
    if (entry) entry.groups.push(group);
    else byKey.set(key, { policies: names, groups: [group] });
  }
  // Packed in key order while the shard's classes stay under the bound (a key past it alone is a shard of its own).
  const shards: { policies: Set<string>; groups: Set<string>; paths: string[]; hosts: string[] }[] = [];
  for (const key of [...byKey.keys()].sort()) {
    const { policies, groups } = byKey.get(key)!;
    const paths = policies.flatMap((n) => patternsOf.get(n)?.paths ?? []);
    const hosts = policies.flatMap((n) => patternsOf.get(n)?.hosts ?? []);
    const last = shards.at(-1);
    if (last && estimatedClasses([...last.paths, ...paths]) <= bound && estimatedClasses([...last.hosts, ...hosts]) <= bound) {
      for (const n of policies) last.policies.add(n);
      for (const g of groups) last.groups.add(g);
      last.paths.push(...paths);
      last.hosts.push(...hosts);
    } else shards.push({ policies: new Set(policies), groups: new Set(groups), paths, hosts });
  }
  const out: MeshConnection[] = [];
  const collect = (model: MeshModel, keep: (p: Peer) => boolean): void => {
    out.push(...connectionsOf(model, resolution, keep));
  };
  for (const shard of shards) {
    // The base's address atoms: a policy left out would otherwise split the addresses otherwise.
    const model = buildLayers(given.filter((r) => !isAuthorizationPolicy(r) || shard.policies.has(apName(r))), { ...extra, ipSets: base.ipAtoms }, () => true);
    collect(model, (p) => 'kind' in p && p.kind !== 'dns' && shard.groups.has(groupOf(p)));
  }
  // Addresses and ServiceEntry hosts: no AuthorizationPolicy judges them, the base model is exact there.
  collect(base, (p) => !('kind' in p) || p.kind === 'dns');
  return out.sort(byNames);
}

/** One pair of the matrix with its connections as a set (diff.ts compares them). */
export interface MeshPairSet {
  src: string;
  dst: string;
  conns: ConnSet;
}

/** meshMatrix's pairs, sorted by names, with their ConnSets (pairs with equal connections share one set). */
export function meshMatrixSets(model: MeshModel, resolution: Resolution, keepDst?: (p: Peer) => boolean): MeshPairSet[] {
  const { members } = endpointClasses(model);
  const k = members.length;
  // Destination classes with a member to keep (shardedMatrix computes some destinations in each model).
  const kept = members.map((m) => !keepDst || m.some(keepDst));
  const reps = members.map((m) => m[0]!);
  const classIds = classIdsOf(model, members);
  const candidates = (rep: Endpoint, direction: 'ingress' | 'egress'): Uint8Array | undefined => {
    const lists = [model.calico.peerCandidates(rep, direction), model.cilium?.peerCandidates(rep, direction)].filter((l) => l !== undefined);
    if (lists.length === 0) return undefined;
    let out: Uint8Array | undefined;
    for (const sets of lists) {
      const mark = new Uint8Array(k);
      for (const set of sets) for (const c of classIds(set)) mark[c] = 1;
      if (out) for (let c = 0; c < k; c++) out[c]! &= mark[c]!;
      else out = mark;
    }
    return out;
  };
  // Destination classes by their ingress candidates: open to every source, or to the listed classes.
  const openIngress: number[] = [];
  const ingressFrom: number[][] = members.map(() => []);
  const ingressOpen = new Uint8Array(k);
  for (let d = 0; d < k; d++) {
    const from = candidates(reps[d]!, 'ingress');
    if (!from) {
      openIngress.push(d);
      ingressOpen[d] = 1;
    } else for (let s = 0; s < k; s++) if (from[s]) ingressFrom[s]!.push(d);
  }
  const pairs: { src: readonly Peer[]; dst: readonly Peer[]; conns: ConnSet }[] = [];
  const others: Peer[] = [...model.sidecars.dnsEntries, ...model.ipAtoms];
  const stamp = new Int32Array(k).fill(-1);
  for (let s = 0; s < k; s++) {
    const rep = reps[s]!;
    const to = candidates(rep, 'egress');
    for (const d of ingressFrom[s]!) stamp[d] = s;
    const dsts: number[] = [];
    if (!to) dsts.push(...openIngress, ...ingressFrom[s]!);
    else for (let d = 0; d < k; d++) if (to[d] && (ingressOpen[d] || stamp[d] === s)) dsts.push(d);
    for (const d of dsts) {
      if (!kept[d]) continue;
      // Two members of one class stand for any two of them; a class of one has no pair with itself.
      const dst = d === s ? members[s]![1] : reps[d]!;
      if (!dst) continue;
      const conns = allowedBetween(model, rep, dst);
      if (!conns.isEmpty()) pairs.push({ src: members[s]!, dst: members[d]!, conns });
    }
    for (const peer of others) {
      if (keepDst && !keepDst(peer)) continue;
      const conns = allowedBetween(model, rep, peer);
      if (!conns.isEmpty()) pairs.push({ src: members[s]!, dst: [peer], conns });
    }
  }
  for (const atom of model.ipAtoms) {
    for (let d = 0; d < k; d++) {
      if (!kept[d]) continue;
      const conns = allowedBetween(model, atom, reps[d]!);
      if (!conns.isEmpty()) pairs.push({ src: [atom], dst: members[d]!, conns });
    }
  }
  const names = new Map<Peer, string>();
  const groupName = (p: Peer): string => {
    let name = names.get(p);
    if (name === undefined) names.set(p, (name = 'kind' in p ? (resolution === 'deployment' ? p.workload : p.name) : peerName(p)));
    return name;
  };
  const acc = new Map<string, { src: string; dst: string; conns: ConnSet }>();
  for (const pair of pairs) {
    for (const a of pair.src) {
      const s = groupName(a);
      for (const b of pair.dst) {
        if (a === b || (keepDst && !keepDst(b))) continue;
        const t = groupName(b);
        if (s === t) continue;
        const key = `${s}\u0000${t}`;
        const prev = acc.get(key);
        if (!prev) acc.set(key, { src: s, dst: t, conns: pair.conns });
        else if (prev.conns !== pair.conns) prev.conns = prev.conns.union(pair.conns);
      }
    }
  }
  return [...acc.values()].sort(byNames);
}

const byNames = (a: { src: string; dst: string }, b: { src: string; dst: string }): number => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0);

/** The classes of a set's endpoints (memoised per set: rules share their sets across subjects). */
function classIdsOf(model: MeshModel, members: readonly (readonly Endpoint[])[]): (set: ReadonlySet<Endpoint>) => readonly number[] {
  const classOf = new Map<Endpoint, number>();
  members.forEach((m, c) => m.forEach((ep) => classOf.set(ep, c)));
  const memo = new Map<ReadonlySet<Endpoint>, number[]>();
  return (set) => {
    let out = memo.get(set);
    if (out) return out;
    const seen = new Set<number>();
    for (const ep of set) {
      const c = classOf.get(ep);
      if (c !== undefined) seen.add(c);
    }
    memo.set(set, (out = [...seen]));
    return out;
  };
}

/** The matrix from every pair of endpoints, one by one: the definition meshMatrix must agree with (tests). */
export function meshMatrixPairwise(model: MeshModel, resolution: Resolution): MeshConnection[] {
  const groupName = (p: Peer): string => ('kind' in p ? (resolution === 'deployment' ? p.workload : p.name) : peerName(p));
  const peers: Peer[] = [...model.topology.endpoints, ...model.sidecars.dnsEntries, ...model.ipAtoms];
  const acc = new Map<string, { src: string; dst: string; conns: ConnSet }>();
  for (const src of peers) {
    for (const dst of peers) {
      if (src === dst || (!('kind' in src) && !('kind' in dst))) continue;
      const s = groupName(src);
      const t = groupName(dst);
      if (s === t) continue;
      const allowed = allowedBetween(model, src, dst);
      if (allowed.isEmpty()) continue;
      const key = `${s}\u0000${t}`;
      const prev = acc.get(key);
      acc.set(key, { src: s, dst: t, conns: prev ? prev.conns.union(allowed) : allowed });
    }
  }
  return [...acc.values()].sort(byNames).map((e) => ({ src: e.src, dst: e.dst, conns: connsJson(e.conns, model) }));
}

/** A connection set in CONVENTIONS.md's `conns` shape: "All", or one entry per cube. */
export function connsJson(set: ConnSet, classes?: Pick<MeshModel, 'paths' | 'hosts'> & Partial<Pick<MeshModel, 'headers'>>): 'All' | ConnEntry[] {
  if (set.isAll()) return 'All';
  const d = set.domain;
  const full = (dim: number, iv: Intervals): boolean => ivEqual(iv, [d.min[dim]!, d.max[dim]!]);
  const out: ConnEntry[] = [];
  // Canonical cubes: the same set prints the same entries whatever the input's document order.
  for (const cube of set.canonicalCubes()) {
    const proto = cube[DIM.proto]!;
    const entry: ConnEntry = {};
    if (!full(DIM.proto, proto)) entry.protocol = ivText(proto);
    const portsMatter = ivIntersect(proto, portProtocolIvs).length > 0;
    if (portsMatter && !full(DIM.sport, cube[DIM.sport]!)) entry.src_ports = ivText(cube[DIM.sport]!);
    if (portsMatter && !full(DIM.dport, cube[DIM.dport]!)) entry.ports = ivText(cube[DIM.dport]!);
    const icmpMatters = ivIntersect(proto, icmpIvs).length > 0;
    if (icmpMatters && !full(DIM.icmpType, cube[DIM.icmpType]!)) entry.icmp_type = ivText(cube[DIM.icmpType]!);
    if (icmpMatters && !full(DIM.icmpCode, cube[DIM.icmpCode]!)) entry.icmp_code = ivText(cube[DIM.icmpCode]!);
    const m = cube[DIM.method]!;
    const tcp = ivIntersect(proto, [TCP, TCP]).length > 0;
    if (tcp && !full(DIM.method, m)) entry.methods = methodsOf(m);
    if (tcp && classes && !full(DIM.path, cube[DIM.path]!)) entry.paths = classes.paths.describe(members(cube[DIM.path]!));
    if (tcp && classes && !full(DIM.host, cube[DIM.host]!)) entry.hosts = classes.hosts.describe(members(cube[DIM.host]!));
    if (tcp && classes?.headers && !full(DIM.header, cube[DIM.header]!)) {
      // Allowed sets are closed upwards in the header dimension (rules only ever require headers),
      // so each minimal mask of the cube stands for "carries at least these".
      for (const mask of minimalMasks(members(cube[DIM.header]!))) {
        const names = classes.headers.filter((_, bit) => (mask & (1 << bit)) !== 0);
        out.push(names.length > 0 ? { ...entry, headers: names } : entry);
      }
      continue;
    }
    out.push(entry);
  }
  return out;
}

function minimalMasks(masks: ReadonlySet<number>): number[] {
  const list = [...masks];
  return list.filter((m) => !list.some((o) => o !== m && (o & m) === o));
}

const portProtocolIvs = PORT_PROTOCOLS.flatMap((p) => [p, p]);
const icmpIvs = ICMP_PROTOCOLS.flatMap((p) => [p, p]);

/** A method set: a list, or `{not: [...]}` when methods outside the nine are in it. */
function methodsOf(iv: Intervals): string[] | { not: string[] } {
  const inSet = (m: number): boolean => members(iv).has(m);
  if (inSet(OTHER_METHOD)) return { not: METHODS.filter((_, i) => !inSet(i)) };
  return METHODS.filter((_, i) => inSet(i));
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '1': 'ICMP', '6': 'TCP', '17': 'UDP', '58': 'ICMPv6', '132': 'SCTP', '136': 'UDPLite' };

/** A protocol list with the known protocols by name (`6,17` -> `TCP,UDP`); ranges stay numeric. */
export function protocolNames(list: string): string {
  return list
    .split(',')
    .map((t) => PROTOCOL_NAMES[t] ?? t)
    .join(',');
}

/** One line's worth of a conns value, for the text formats. */
export function connsText(conns: 'All' | ConnEntry[]): string {
  if (conns === 'All') return 'All Connections';
  return conns
    .map((e) => {
      const parts: string[] = [e.protocol ? `protocol ${protocolNames(e.protocol)}` : 'any protocol'];
      if (e.src_ports) parts.push(`src ports ${e.src_ports}`);
      if (e.ports) parts.push(`ports ${e.ports}`);
      if (e.icmp_type) parts.push(`icmp type ${e.icmp_type}`);
      if (e.icmp_code) parts.push(`icmp code ${e.icmp_code}`);
      if (e.methods) parts.push(`methods ${JSON.stringify(e.methods)}`);
      if (e.paths) parts.push(`paths ${JSON.stringify(e.paths)}`);
      if (e.hosts) parts.push(`hosts ${JSON.stringify(e.hosts)}`);
      return parts.join(' ');
    })
    .join('; ');
}

/**
 * calicoctl and NCA's inputs may hold a top-level sequence of objects or Lists (`[{kind:
 * WorkloadEndpointList...}, {kind: HostEndpointList...}]`), which the loader refuses: read each
 * element instead. Returns the loader errors this resolved. `readText` is the caller's file reader.
 */
export async function expandTopLevelSequences(loaded: LoadResult, readText: (file: string) => Promise<string>): Promise<PalisadeError[]> {
  const kept: PalisadeError[] = [];
  const handled: PalisadeError[] = [];
  for (const error of loaded.errors) {
    const file = error.location?.file;
    if (error.code !== 'LOAD_NOT_AN_OBJECT' || !file || !error.message.endsWith('a sequence')) {
      kept.push(error);
      continue;
    }
    let value: unknown;
    try {
      value = parseYaml(await readText(file));
    } catch {
      kept.push(error);
      continue;
    }
    handled.push(error);
    for (const item of Array.isArray(value) ? value : []) {
      const sub = loadText(file, JSON.stringify(item));
      loaded.resources.push(...sub.resources);
      kept.push(...sub.errors);
    }
  }
  loaded.errors.splice(0, loaded.errors.length, ...kept);
  return handled;
}
