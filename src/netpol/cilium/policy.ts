import type { PalisadeError } from '../../core/errors.js';
import { obj } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import { Resource } from '../../core/load.js';
import { ConnSet, DIM, ICMP, ICMPV6, SCTP, TCP, UDP, ivNormalize, type Domain, type Intervals } from '../layers/connSet.js';
import { effectiveLabels, type Endpoint, type Topology } from '../layers/endpoints.js';
import type { StringClasses } from '../layers/l7Classes.js';
import { MeshProblems, type LayerPolicy, type LayerRule, type PeerMatch } from '../layers/model.js';
import { compileSelector, type Selector } from '../selector.js';
import { IpSet, parseCidr, type IpFamily } from '../sets/ipSet.js';
import { canonicalHeader, methodIds, regexAsPattern, validRegex } from './l7.js';
import { fqdnSelector, selectsHost, type FqdnSelector } from './fqdn.js';
import type { CiliumService } from './services.js';

/**
 * cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (docs.cilium.io, "Policy
 * Language", "Deny Policies", "Policy Enforcement Modes"; pkg/k8s/apis/cilium.io/utils/utils.go):
 * - a CNP's endpointSelector and its from/toEndpoints select in the policy's namespace unless they
 *   name `io.kubernetes.pod.namespace` (a CCNP's select in every namespace);
 * - an endpoint selected by a policy with rules in a direction is default-deny there
 *   (`enableDefaultDeny` can turn that off per policy; any policy asking for it wins);
 * - allows of every policy (CNP, CCNP and Kubernetes NetworkPolicy alike) are a union, and deny
 *   rules win over allows whatever their policy;
 * - a rule with no L3 field matches every peer when it has toPorts or icmps and nothing otherwise
 *   (`egress: [{}]` is "deny all egress");
 * - CIDR rules match only addresses outside the cluster; entities stand for identities
 *   (`cluster`: every pod; `world`: every outside address; `all`: both);
 * - L7 http rules (method, path, host, headers) restrict TCP on their ports;
 * - toServices select the Services of the input as Cilium resolves them (services.ts);
 * - toFQDNs select the Istio ServiceEntry hosts (`dns:` ends) their names match and, since the
 *   addresses DNS answers are not in any manifest, every outside address (reported); both only for
 *   pods whose DNS lookups of those names Cilium's DNS proxy sees (an egress `dns` rule allowing them).
 */

export const CILIUM_API = 'cilium.io/v2';
export const CILIUM_KINDS = new Set(['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);

/** The identity labels Cilium gives every pod (pkg/k8s/apis/cilium.io/const.go). */
export const CILIUM_LABELS = {
  namespace: 'io.kubernetes.pod.namespace',
  serviceAccount: 'io.cilium.k8s.policy.serviceaccount',
  cluster: 'io.cilium.k8s.policy.cluster',
  namespaceLabelsPrefix: 'io.cilium.k8s.namespace.labels.',
} as const;
/** The cluster name Cilium uses when none is configured. */
export const CILIUM_DEFAULT_CLUSTER = 'default';

/** Entities (pkg/policy/api/entity.go EntitySelectorMapping) and what they are among the engine's peers. */
const ENTITIES: Readonly<Record<string, { pods: boolean; world: readonly IpFamily[] }>> = {
  all: { pods: true, world: [4, 6] },
  world: { pods: false, world: [4, 6] },
  'world-ipv4': { pods: false, world: [4] },
  'world-ipv6': { pods: false, world: [6] },
  cluster: { pods: true, world: [] },
  host: { pods: false, world: [] },
  'remote-node': { pods: false, world: [] },
  'kube-apiserver': { pods: false, world: [] },
  ingress: { pods: false, world: [] },
  init: { pods: false, world: [] },
  health: { pods: false, world: [] },
  unmanaged: { pods: false, world: [] },
};

/** ICMP type names Cilium accepts (pkg/policy/api/icmp.go), by family; the numbers are IANA's. */
const ICMP_TYPES: Readonly<Record<'IPv4' | 'IPv6', Readonly<Record<string, number>>>> = {
  IPv4: { EchoReply: 0, DestinationUnreachable: 3, Redirect: 5, EchoRequest: 8, RouterAdvertisement: 9, RouterSelection: 10, TimeExceeded: 11, ParameterProblem: 12, Timestamp: 13, TimestampReply: 14, Photuris: 40, ExtendedEchoRequest: 42, ExtendedEchoReply: 43 },
  IPv6: { DestinationUnreachable: 1, PacketTooBig: 2, TimeExceeded: 3, ParameterProblem: 4, EchoRequest: 128, EchoReply: 129, MulticastListenerQuery: 130, MulticastListenerReport: 131, MulticastListenerDone: 132, RouterSolicitation: 133, RouterAdvertisement: 134, NeighborSolicitation: 135, NeighborAdvertisement: 136, RedirectMessage: 137 },
};

export interface CiliumPolicy extends LayerPolicy {
  /** Whether the policy puts its endpoints into default deny, per direction. */
  defaultDeny: { ingress: boolean; egress: boolean };
}

export function isCiliumPolicy(r: Resource): boolean {
  return String(r.object.apiVersion) === CILIUM_API && CILIUM_KINDS.has(String(r.object.kind));
}

/**
 * Whether the input is for a Cilium cluster: it holds cilium.io objects, or its NetworkPolicies
 * select on Cilium's identity labels (which exist only there).
 */
export function isCiliumInput(resources: readonly Resource[]): boolean {
  return resources.some((r) => {
    if (String(r.object.apiVersion).startsWith('cilium.io/')) return true;
    if (r.object.kind !== 'NetworkPolicy') return false;
    const text = JSON.stringify(r.object.spec ?? {});
    return text.includes('io.cilium.k8s.') || text.includes(CILIUM_LABELS.namespace);
  });
}

/** Gives every pod the labels Cilium derives from its namespace, service account and cluster. */
export function addCiliumIdentity(topology: Topology): void {
  for (const ep of topology.endpoints) {
    if (ep.kind !== 'pod' || ep.namespace === undefined) continue;
    const ns = topology.namespaces.get(ep.namespace);
    for (const [k, v] of Object.entries(ns?.labels ?? {})) ep.extraLabels[`${CILIUM_LABELS.namespaceLabelsPrefix}${k}`] = v;
    ep.extraLabels[CILIUM_LABELS.namespace] = ep.namespace;
    ep.extraLabels[CILIUM_LABELS.serviceAccount] = ep.serviceAccount;
    ep.extraLabels[CILIUM_LABELS.cluster] = CILIUM_DEFAULT_CLUSTER;
  }
}

/**
 * The namespace `kubectl apply` would give objects that name none: offline there is no context, so
 * palisade takes the one namespace all the input's pods live in (a test bundle applied with `-n`, as
 * cilium-cli does), else `default`.
 */
export function impliedNamespace(topology: Topology): string {
  const namespaces = new Set(topology.endpoints.filter((ep) => ep.kind === 'pod').map((ep) => ep.namespace));
  return namespaces.size === 1 ? ([...namespaces][0] ?? 'default') : 'default';
}

/** A copy of `r` placed in `namespace`, with a warning that says so. */
export function withNamespace(r: Resource, namespace: string): { resource: Resource; warning: PalisadeError } {
  const md = (r.object.metadata ?? {}) as Record<string, unknown>;
  const object = { ...r.object, metadata: { ...md, namespace } };
  const resource = new Resource(object, r.source, () => ({ document: r.document, node: r.node }), r.indexInFile, r.documentIndex, r.documentPointer, r.fastPositions);
  const p = new MeshProblems(r);
  p.warn('MESH_NAMESPACE_ASSUMED', '/metadata', `read in namespace ${namespace} (the namespace of every pod of the input)`);
  return { resource, warning: p.warnings[0]! };
}

interface Ctx {
  topology: Topology;
  domain: Domain;
  paths: StringClasses;
  hosts: StringClasses;
  /** The header requirements the policies name, in mask bit order. */
  headers: readonly string[];
  defaultNamespace: string;
  /** The input's Services with their endpoints' addresses (toServices). */
  services: readonly CiliumService[];
  /** Istio ServiceEntry hosts, the destinations named by a DNS name (toFQDNs). */
  dnsEntries: readonly Endpoint[];
}

/** A toFQDNs rule waiting for the DNS rules of every policy (which pods' lookups Cilium's proxy sees). */
interface FqdnRule {
  selectors: FqdnSelector[];
  at: string;
  p: MeshProblems;
}

/** What the parse of one rule leaves for the pass over every policy. */
interface Pending {
  fqdn: Map<LayerRule, FqdnRule>;
  /** The names each policy's egress `dns` rules let through its DNS proxy, by the pods it selects. */
  dns: { selected: ReadonlySet<Endpoint>; selectors: FqdnSelector[] }[];
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function parseCiliumPolicies(resources: readonly Resource[], ctx: Ctx): { policies: CiliumPolicy[]; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const policies: CiliumPolicy[] = [];
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const pending: Pending = { fqdn: new Map(), dns: [] };
  for (const r of resources) {
    if (!isCiliumPolicy(r)) continue;
    const p = new MeshProblems(r);
    const clusterwide = r.object.kind === 'CiliumClusterwideNetworkPolicy';
    const md = obj(r.object.metadata) ?? {};
    let namespace: string | undefined;
    if (!clusterwide) {
      namespace = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : undefined;
      if (namespace === undefined) {
        namespace = ctx.defaultNamespace;
        p.warn('MESH_NAMESPACE_ASSUMED', '/metadata', `read in namespace ${namespace} (the namespace of every pod of the input, else default)`);
      }
    }
    const name = `${namespace ? `${namespace}/` : ''}${String(md.name ?? '')}`;
    const specs: { spec: Record<string, unknown>; pointer: string }[] = [];
    if (obj(r.object.spec)) specs.push({ spec: obj(r.object.spec)!, pointer: '/spec' });
    list(r.object.specs).forEach((s, i) => {
      if (obj(s)) specs.push({ spec: obj(s)!, pointer: `/specs/${i}` });
      else p.add('MESH_NOT_AN_OBJECT', `/specs/${i}`, 'a rule');
    });
    if (specs.length === 0) p.add('MESH_NOT_AN_OBJECT', '/spec', 'spec or specs');
    const parsed: CiliumPolicy[] = [];
    for (const { spec, pointer } of specs) {
      const label = `${String(r.object.kind)} ${name}${pointer === '/spec' ? '' : ` ${pointer.slice(1).replace('/', '[')}]`}`;
      const policy = parseSpec(spec, pointer, label, namespace, ctx, p, pending);
      if (policy) parsed.push(policy);
    }
    errors.push(...p.errors);
    warnings.push(...p.warnings);
    if (p.errors.length === 0) policies.push(...parsed);
  }
  applyDnsVisibility(policies, pending, warnings);
  return { policies, errors, warnings };
}

/**
 * "In order to associate domain names with IP addresses, Cilium intercepts DNS responses
 * per-Endpoint using a DNS Proxy. This requires … an L7 policy allowing DNS requests"
 * (docs.cilium.io, "DNS based"), and the proxy refuses the names its `dns` rules do not allow. So a
 * toFQDNs selector matches something for a pod only when an egress `dns` rule of a policy selecting
 * the pod lets a name it matches through: a ServiceEntry host when some `dns` rule matches the host
 * itself, the outside addresses when some `dns` rule matches a name of the selector. Each toFQDNs
 * rule is split by the pods that see the same names.
 */
function applyDnsVisibility(policies: CiliumPolicy[], pending: Pending, warnings: PalisadeError[]): void {
  if (pending.fqdn.size === 0) return;
  const dnsOf = new Map<Endpoint, FqdnSelector[]>();
  for (const { selected, selectors } of pending.dns) for (const ep of selected) dnsOf.set(ep, [...(dnsOf.get(ep) ?? []), ...selectors]);
  for (const policy of policies) {
    if (!policy.egress?.some((r) => pending.fqdn.has(r))) continue;
    policy.egress = policy.egress.flatMap((rule) => {
      const fqdn = pending.fqdn.get(rule);
      if (!fqdn) return [rule];
      const groups = new Map<string, { pods: Set<Endpoint>; hosts: Endpoint[]; outside: boolean }>();
      for (const ep of rule.src.endpoints) {
        const dns = dnsOf.get(ep) ?? [];
        const hosts = [...rule.dst.endpoints].filter((h) => dns.some((d) => selectsHost(d, h.name.slice('dns:'.length))));
        const outside = fqdn.selectors.some((s) => dns.some((d) => d.regex.test(s.witness)));
        const key = `${outside}|${hosts.map((h) => h.name).join(',')}`;
        const group = groups.get(key) ?? { pods: new Set<Endpoint>(), hosts, outside };
        group.pods.add(ep);
        groups.set(key, group);
      }
      const names = fqdn.selectors.map((s) => s.text).join(', ');
      const podsOf = (keep: (g: { outside: boolean; hosts: Endpoint[] }) => boolean): string[] => [...groups.values()].filter(keep).flatMap((g) => [...g.pods].map((ep) => ep.name));
      const warn = (text: string): void => {
        fqdn.p.warn('CILIUM_OUT_OF_SCOPE', fqdn.at, text);
        warnings.push(fqdn.p.warnings[fqdn.p.warnings.length - 1]!);
      };
      const seeing = podsOf((g) => g.outside);
      if (seeing.length > 0) warn(`toFQDNs allows the addresses DNS answers for ${names} at run time, which no manifest holds: read as every address outside the cluster (toFQDNs never selects in-cluster ones) for ${seeing.join(', ')}, besides the ServiceEntry hosts the names match`);
      const blind = podsOf((g) => !g.outside && g.hosts.length === 0);
      if (blind.length > 0) warn(`no egress dns rule of a policy selecting ${blind.join(', ')} lets a name of ${names} through Cilium's DNS proxy, so Cilium learns no address for them: the rule allows them nothing`);
      return [...groups.values()]
        .filter((g) => g.outside || g.hosts.length > 0)
        .map((g): LayerRule => ({ ...rule, src: { endpoints: g.pods, ips: [] }, dst: { endpoints: new Set(g.hosts), ips: g.outside ? rule.dst.ips : [] } }));
    });
  }
}

/** A Cilium selector: Kubernetes label selector syntax, keys optionally prefixed by their source (`k8s:`, `any:`). */
function compileCilium(raw: unknown, at: string, p: MeshProblems): { selector: Selector; namesNamespace: boolean; reserved: boolean } | undefined {
  if (raw !== undefined && raw !== null && !obj(raw)) {
    p.add('CILIUM_INVALID_SELECTOR', at, 'a selector must be an object');
    return undefined;
  }
  const o = obj(raw) ?? {};
  let reserved = false;
  const key = (k: string): string => {
    if (k.startsWith('reserved:')) reserved = true;
    return k.replace(/^(k8s|any):/, '');
  };
  const rewritten: Record<string, unknown> = { ...o };
  if (obj(o.matchLabels)) rewritten.matchLabels = Object.fromEntries(Object.entries(obj(o.matchLabels)!).map(([k, v]) => [key(k), v]));
  if (Array.isArray(o.matchExpressions)) rewritten.matchExpressions = o.matchExpressions.map((e) => (obj(e) && typeof obj(e)!.key === 'string' ? { ...obj(e)!, key: key(String(obj(e)!.key)) } : e));
  if (reserved) return { selector: { empty: false, key: 'reserved', matches: () => false }, namesNamespace: true, reserved };
  const { selector, problems } = compileSelector(rewritten);
  for (const problem of problems) p.add('CILIUM_INVALID_SELECTOR', `${at}${problem.pointer}`, problem.reason);
  if (problems.length > 0) return undefined;
  const keys = [...Object.keys(obj(rewritten.matchLabels) ?? {}), ...list(rewritten.matchExpressions).map((e) => String(obj(e)?.key ?? ''))];
  return { selector, namesNamespace: keys.includes(CILIUM_LABELS.namespace), reserved };
}

function parseSpec(spec: Record<string, unknown>, pointer: string, label: string, namespace: string | undefined, ctx: Ctx, p: MeshProblems, pending: Pending): CiliumPolicy | undefined {
  const pods = ctx.topology.endpoints.filter((ep) => ep.kind === 'pod');
  if (spec.nodeSelector !== undefined && spec.endpointSelector === undefined) {
    p.warn('CILIUM_OUT_OF_SCOPE', `${pointer}/nodeSelector`, 'host policies (nodeSelector) apply to nodes, which the input does not describe; the rule is not applied');
    return undefined;
  }
  if (spec.endpointSelector === undefined) {
    p.add('CILIUM_NO_SELECTOR', pointer);
    return undefined;
  }
  if (spec.nodeSelector !== undefined) p.add('CILIUM_CONFLICTING_FIELDS', `${pointer}/nodeSelector`, 'endpointSelector and nodeSelector');
  const es = compileCilium(spec.endpointSelector, `${pointer}/endpointSelector`, p);
  if (!es) return undefined;
  const selected = new Set(pods.filter((ep) => (namespace === undefined || ep.namespace === namespace) && es.selector.matches(effectiveLabels(ep))));

  const rules = (direction: 'ingress' | 'egress'): { rules: LayerRule[]; present: boolean } => {
    const out: LayerRule[] = [];
    let present = false;
    for (const [key, action] of [[direction, 'Allow'], [`${direction}Deny`, 'Deny']] as const) {
      const raw = spec[key];
      if (raw === undefined || raw === null) continue;
      if (!Array.isArray(raw)) {
        p.add('MESH_NOT_AN_OBJECT', `${pointer}/${key}`, `${key} must be a list`);
        continue;
      }
      if (raw.length > 0) present = true;
      raw.forEach((r, i) => {
        const rule = parseRule(r, `${pointer}/${key}/${i}`, `${label} ${key}[${i}]`, direction, action, namespace, selected, ctx, p, pending);
        if (rule) out.push(rule);
      });
    }
    return { rules: out, present };
  };
  const ingress = rules('ingress');
  const egress = rules('egress');
  const edd = obj(spec.enableDefaultDeny) ?? {};
  for (const k of ['ingress', 'egress'] as const) if (edd[k] !== undefined && typeof edd[k] !== 'boolean') p.add('MESH_NOT_AN_OBJECT', `${pointer}/enableDefaultDeny/${k}`, 'a boolean');
  // "If not specified, the default is true for each traffic direction that has rules" (api.Rule).
  const defaultDeny = { ingress: typeof edd.ingress === 'boolean' ? edd.ingress : ingress.present, egress: typeof edd.egress === 'boolean' ? edd.egress : egress.present };
  return {
    kind: label.split(' ')[0]!,
    name: label.slice(label.indexOf(' ') + 1),
    selected,
    ...(ingress.present || defaultDeny.ingress ? { ingress: ingress.rules } : {}),
    ...(egress.present || defaultDeny.egress ? { egress: egress.rules } : {}),
    defaultDeny,
    origin: p.origin(label, pointer),
  };
}

function parseRule(raw: unknown, at: string, label: string, direction: 'ingress' | 'egress', action: 'Allow' | 'Deny', namespace: string | undefined, selected: ReadonlySet<Endpoint>, ctx: Ctx, p: MeshProblems, pending: Pending): LayerRule | undefined {
  const rule = obj(raw);
  if (!rule) {
    p.add('MESH_NOT_AN_OBJECT', at, 'a rule');
    return undefined;
  }
  const pods = ctx.topology.endpoints.filter((ep) => ep.kind === 'pod');
  const pre = direction === 'ingress' ? 'from' : 'to';
  const nonEmpty = (k: string): boolean => Array.isArray(rule[k]) && (rule[k] as unknown[]).length > 0;
  // pkg/policy/api: "combining %s and %s is not supported yet".
  // "ToFQDN cannot occur in the same policy as other To* rules" (api.EgressRule), per rule in rule_validation.go.
  const l3 = ['Endpoints', 'CIDR', 'CIDRSet', 'Entities', 'Nodes', 'Groups', ...(direction === 'egress' ? ['Services', 'FQDNs'] : [])].map((k) => pre + k).filter(nonEmpty);
  if (l3.length > 1) p.add('CILIUM_CONFLICTING_FIELDS', `${at}/${l3[1]}`, `${l3[0]} and ${l3[1]}`);
  if (nonEmpty('icmps') && nonEmpty('toPorts')) p.add('CILIUM_CONFLICTING_FIELDS', `${at}/icmps`, 'the ICMPs block may only be present without toPorts');

  const endpoints = new Set<Endpoint>();
  const ips: IpSet[] = [];
  const world = (families: readonly IpFamily[]): void => {
    for (const f of families) ips.push(IpSet.all(f));
  };
  const hasL3 = l3.length > 0;
  list(rule[`${pre}Endpoints`]).forEach((s, i) => {
    const sel = compileCilium(s, `${at}/${pre}Endpoints/${i}`, p);
    if (!sel) return;
    // utils.go getEndpointSelector: a selector that names no namespace stays in the policy's (a CCNP's: any).
    for (const ep of pods) if ((sel.namesNamespace || namespace === undefined || ep.namespace === namespace) && sel.selector.matches(effectiveLabels(ep))) endpoints.add(ep);
  });
  const cidr = (text: unknown, where: string): IpSet | undefined => {
    const parsed = typeof text === 'string' ? parseCidr(text.includes('/') ? text : text.includes(':') ? `${text}/128` : `${text}/32`) : undefined;
    if (!parsed) {
      p.add('CILIUM_INVALID_CIDR', where, gotText(text));
      return undefined;
    }
    return IpSet.range(parsed.family, parsed.first, parsed.last);
  };
  list(rule[`${pre}CIDR`]).forEach((c, i) => {
    const set = cidr(c, `${at}/${pre}CIDR/${i}`);
    if (set) ips.push(set);
  });
  list(rule[`${pre}CIDRSet`]).forEach((c, i) => {
    const entry = obj(c) ?? {};
    const where = `${at}/${pre}CIDRSet/${i}`;
    if (entry.cidr === undefined) {
      p.warn('CILIUM_OUT_OF_SCOPE', where, 'cidrGroupRef / cidrGroupSelector name CiliumCIDRGroups the analysis does not read; the entry matches nothing');
      return;
    }
    let set = cidr(entry.cidr, `${where}/cidr`);
    list(entry.except).forEach((e, j) => {
      const ex = cidr(e, `${where}/except/${j}`);
      if (ex && set && ex.family === set.family) set = set.subtract(ex);
    });
    if (set) ips.push(set);
  });
  list(rule[`${pre}Entities`]).forEach((e, i) => {
    const entity = ENTITIES[String(e)];
    if (!entity) {
      p.add('CILIUM_INVALID_ENTITY', `${at}/${pre}Entities/${i}`, `${gotText(e)}; known: ${Object.keys(ENTITIES).join(', ')}`);
      return;
    }
    if (entity.pods) for (const ep of pods) endpoints.add(ep);
    // A ServiceEntry host is outside the cluster: the world entity holds it.
    if (entity.world.length === 2) for (const ep of ctx.dnsEntries) endpoints.add(ep);
    world(entity.world);
  });
  for (const k of ['Nodes', 'Groups']) if (nonEmpty(pre + k)) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}${k}`, `${pre}${k} select nodes or cloud groups the input does not describe; they match nothing here`);
  if (nonEmpty(`${pre}Requires`)) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}Requires`, `${pre}Requires (deprecated) is read as no requirement`);
  // CIDRs that hold every address of a family are the world entity ("Allowing to world is identical to allowing to CIDR 0.0.0.0/0"); before toFQDNs adds its assumed addresses.
  if (ips.some((set) => set.contains(IpSet.all(set.family)))) for (const ep of ctx.dnsEntries) endpoints.add(ep);
  let fqdn: FqdnRule | undefined;
  if (direction === 'egress') {
    list(rule.toServices).forEach((s, i) => toService(s, `${at}/toServices/${i}`, ctx, p, endpoints, ips));
    if (nonEmpty('toFQDNs') && action === 'Deny') p.warn('CILIUM_OUT_OF_SCOPE', `${at}/toFQDNs`, 'egressDeny has no toFQDNs (api.EgressDenyRule); ignored');
    else if (nonEmpty('toFQDNs')) fqdn = toFqdns(rule.toFQDNs as unknown[], `${at}/toFQDNs`, ctx, p, endpoints, ips);
  }
  const hasL4 = nonEmpty('toPorts') || nonEmpty('icmps');
  if (!hasL3 && hasL4) {
    // No L3 field: the L4 part applies to every peer.
    for (const ep of pods) endpoints.add(ep);
    for (const ep of ctx.dnsEntries) endpoints.add(ep);
    world([4, 6]);
  }
  const peer: PeerMatch = { endpoints, ips };
  const self: PeerMatch = { endpoints: selected, ips: [] };
  const conns = parseL4(rule, at, action, ctx, p);
  if (direction === 'egress' && action === 'Allow') {
    const dns = dnsRuleSelectors(rule, at, p);
    if (dns.length > 0) pending.dns.push({ selected, selectors: dns });
  }
  const out: LayerRule = { action, src: direction === 'ingress' ? peer : self, dst: direction === 'ingress' ? self : peer, conns, origin: p.origin(label, at) };
  if (fqdn) pending.fqdn.set(out, fqdn);
  return out;
}

/**
 * One toServices entry, as pkg/policy/k8s/service.go resolves it: `k8sServiceSelector` (which wins
 * when both are given) matches the Services whose labels its selector matches, `k8sService` the one
 * of that name; a namespace left out matches every namespace (serviceSelectorMatches,
 * serviceRefMatches). A Service with a selector stands for its pods, one without for its
 * endpoints' addresses.
 */
function toService(raw: unknown, at: string, ctx: Ctx, p: MeshProblems, endpoints: Set<Endpoint>, ips: IpSet[]): void {
  const entry = obj(raw);
  if (!entry) {
    p.add('MESH_NOT_AN_OBJECT', at, 'a toServices entry');
    return;
  }
  const bySelector = obj(entry.k8sServiceSelector);
  const byName = obj(entry.k8sService);
  let matched: CiliumService[];
  let wanted: string;
  if (bySelector) {
    if (bySelector.selector === undefined) {
      p.add('CILIUM_INVALID_SELECTOR', `${at}/k8sServiceSelector`, 'k8sServiceSelector needs a selector');
      return;
    }
    const sel = compileCilium(bySelector.selector, `${at}/k8sServiceSelector/selector`, p);
    if (!sel) return;
    const ns = typeof bySelector.namespace === 'string' ? bySelector.namespace : '';
    matched = ctx.services.filter((s) => (ns === '' || s.namespace === ns) && sel.selector.matches(s.labels));
    wanted = `the Services ${ns === '' ? 'of any namespace ' : `of namespace ${ns} `}whose labels the selector matches`;
  } else if (byName) {
    const ns = typeof byName.namespace === 'string' ? byName.namespace : '';
    const name = typeof byName.serviceName === 'string' ? byName.serviceName : '';
    matched = ctx.services.filter((s) => (ns === '' || s.namespace === ns) && s.name === name);
    wanted = `the Service ${ns === '' ? `${name} (any namespace)` : `${ns}/${name}`}`;
  } else {
    p.add('MESH_NOT_AN_OBJECT', at, 'a toServices entry needs k8sService or k8sServiceSelector');
    return;
  }
  if (matched.length === 0) {
    p.warn('CILIUM_OUT_OF_SCOPE', at, `the input holds no ${wanted.slice(4)}: the entry allows nothing (as Cilium, until such a Service exists)`);
    return;
  }
  for (const svc of matched) {
    if (Object.keys(svc.selector).length > 0) {
      // appendSelector: the Service's selector plus its namespace, matched against the pods' labels.
      for (const ep of ctx.topology.endpoints) if (ep.kind === 'pod' && ep.namespace === svc.namespace && Object.entries(svc.selector).every(([k, v]) => ep.labels[k] === v)) endpoints.add(ep);
    } else if (svc.addresses === undefined) {
      p.warn('CILIUM_OUT_OF_SCOPE', at, `the Service ${svc.namespace}/${svc.name} has no selector and the input holds no Endpoints or EndpointSlices for it: its addresses are unknown, so it adds nothing`);
    } else ips.push(...svc.addresses);
  }
}

/** The toFQDNs selectors: the ServiceEntry hosts they name, and (reported) every outside address. */
function toFqdns(raw: readonly unknown[], at: string, ctx: Ctx, p: MeshProblems, endpoints: Set<Endpoint>, ips: IpSet[]): FqdnRule | undefined {
  const selectors: FqdnSelector[] = [];
  raw.forEach((e, i) => {
    const s = fqdnSelector(obj(e) ?? {});
    if ('error' in s) p.add('CILIUM_INVALID_FQDN', `${at}/${i}`, s.error);
    else selectors.push(s);
  });
  if (selectors.length === 0) return undefined;
  for (const ep of ctx.dnsEntries) if (selectors.some((s) => selectsHost(s, ep.name.slice('dns:'.length)))) endpoints.add(ep);
  // toFQDNs never selects in-cluster addresses ("If the resolved IPs are IPs within the kubernetes cluster, the ToFQDN rule will not apply to that IP").
  ips.push(IpSet.all(4), IpSet.all(6));
  return { selectors, at, p };
}

/** The names a rule's `dns` port rules let through Cilium's DNS proxy. */
function dnsRuleSelectors(rule: Record<string, unknown>, at: string, p: MeshProblems): FqdnSelector[] {
  const out: FqdnSelector[] = [];
  list(rule.toPorts).forEach((pr, i) => {
    list(obj(obj(pr)?.rules)?.dns).forEach((d, j) => {
      const s = fqdnSelector(obj(d) ?? {});
      if ('error' in s) p.add('CILIUM_INVALID_FQDN', `${at}/toPorts/${i}/rules/dns/${j}`, s.error);
      else out.push(s);
    });
  });
  return out;
}

type ConnsOf = (src: Endpoint | undefined, dst: Endpoint | undefined) => ConnSet;

function parseL4(rule: Record<string, unknown>, at: string, action: 'Allow' | 'Deny', ctx: Ctx, p: MeshProblems): ConnsOf {
  const d = ctx.domain;
  const portRules = list(rule.toPorts);
  const icmps = list(rule.icmps);
  if (portRules.length === 0 && icmps.length === 0) {
    const all = ConnSet.all(d);
    return () => all;
  }
  let fixed = ConnSet.empty(d);
  icmps.forEach((raw, i) => {
    list(obj(raw)?.fields).forEach((f, j) => {
      const field = obj(f) ?? {};
      const where = `${at}/icmps/${i}/fields/${j}`;
      const family = field.family === undefined ? 'IPv4' : field.family;
      if (family !== 'IPv4' && family !== 'IPv6') {
        p.add('CILIUM_INVALID_ICMP', `${where}/family`, gotText(field.family));
        return;
      }
      const type = typeof field.type === 'number' ? field.type : typeof field.type === 'string' ? (/^\d+$/.test(field.type) ? Number(field.type) : ICMP_TYPES[family][field.type]) : undefined;
      if (type === undefined || !Number.isInteger(type) || type < 0 || type > 255) {
        p.add('CILIUM_INVALID_ICMP', `${where}/type`, gotText(field.type));
        return;
      }
      const proto = family === 'IPv4' ? ICMP : ICMPV6;
      fixed = fixed.union(ConnSet.cube(d, { proto: [proto, proto], icmpType: [type, type] }));
    });
  });
  // Per port rule: the protocols and port ranges, named ports resolved on the destination, and the L7 part.
  const parts: { proto: number[]; ports?: Intervals; name?: string; l7?: ConnSet }[] = [];
  portRules.forEach((raw, i) => {
    const pr = obj(raw) ?? {};
    const where = `${at}/toPorts/${i}`;
    const l7 = parseL7(obj(pr.rules), `${where}/rules`, action, ctx, p);
    const ports = list(pr.ports);
    if (ports.length === 0) {
      parts.push({ proto: [TCP, UDP, SCTP], ...(l7 ? { l7 } : {}) });
      return;
    }
    ports.forEach((rawPort, j) => {
      const port = obj(rawPort) ?? {};
      const pw = `${where}/ports/${j}`;
      const protoText = port.protocol === undefined ? 'ANY' : String(port.protocol).toUpperCase();
      const proto = protoText === 'ANY' ? [TCP, UDP, SCTP] : protoText === 'TCP' ? [TCP] : protoText === 'UDP' ? [UDP] : protoText === 'SCTP' ? [SCTP] : undefined;
      if (!proto) {
        p.add('CILIUM_INVALID_PROTOCOL', `${pw}/protocol`, gotText(port.protocol));
        return;
      }
      const text = port.port === undefined ? '0' : String(port.port);
      const end = port.endPort;
      if (/^\d+$/.test(text)) {
        const n = Number(text);
        const e = typeof end === 'number' ? end : n;
        if (n > 65535 || (end !== undefined && (typeof end !== 'number' || !Number.isInteger(end) || end < n || end > 65535))) {
          p.add('CILIUM_INVALID_PORT', pw, `got port ${JSON.stringify(port.port)}${end !== undefined ? ` endPort ${JSON.stringify(end)}` : ''}`);
          return;
        }
        // Port 0 means every port (api.PortProtocol).
        parts.push({ proto, ports: n === 0 ? [1, 65535] : [n, e], ...(l7 ? { l7 } : {}) });
      } else if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(text) && /[a-z]/.test(text) && end === undefined) {
        parts.push({ proto, name: text, ...(l7 ? { l7 } : {}) });
      } else p.add('CILIUM_INVALID_PORT', pw, `got port ${JSON.stringify(port.port)}${end !== undefined ? ` endPort ${JSON.stringify(end)}` : ''}`);
    });
  });
  const cubeOf = (part: (typeof parts)[number], ports: Intervals, protos: number[]): ConnSet => {
    let out = ConnSet.empty(d);
    if (ports.length === 0) return out;
    for (const proto of protos) {
      // HTTP rules hold TCP only: Envoy parses HTTP, other protocols on the port are dropped.
      if (part.l7 && proto !== TCP) continue;
      const base = ConnSet.cube(d, { proto: [proto, proto], dport: ports });
      out = out.union(part.l7 ? base.intersect(part.l7) : base);
    }
    return out;
  };
  for (const part of parts) if (part.ports) fixed = fixed.union(cubeOf(part, part.ports, part.proto));
  const named = parts.filter((x) => x.name !== undefined);
  if (named.length === 0) return () => fixed;
  return (_src, dst) => {
    let out = fixed;
    for (const part of named) {
      for (const proto of part.proto) {
        // A named port with protocol ANY opens its number for every protocol (GetNamedPort ignores the protocol for ANY).
        const any = part.proto.length > 1;
        const ports = ivNormalize((dst?.ports ?? []).filter((x) => x.name === part.name && (any || x.protocol === proto)).map((x): [number, number] => [x.port, x.port]));
        out = out.union(cubeOf(part, ports, [proto]));
      }
    }
    return out;
  };
}

/** The L7 rules of a port rule as a TCP connection set; undefined when they do not restrict HTTP. */
function parseL7(rules: Record<string, unknown> | undefined, at: string, action: 'Allow' | 'Deny', ctx: Ctx, p: MeshProblems): ConnSet | undefined {
  if (!rules) return undefined;
  if (action === 'Deny') {
    p.warn('CILIUM_OUT_OF_SCOPE', at, 'deny rules carry no L7 rules (api.PortDenyRule); they are ignored and the whole port is denied');
    return undefined;
  }
  const d = ctx.domain;
  for (const k of Object.keys(rules)) {
    if (k === 'http' || k === 'dns') continue;
    p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${k}`, `${k} rules are not analysed; the port is read as open to them`);
  }
  list(rules.dns).forEach((raw, i) => {
    const dns = obj(raw) ?? {};
    if (dns.matchPattern !== '*') p.warn('CILIUM_OUT_OF_SCOPE', `${at}/dns/${i}`, 'the matrix does not split DNS queries by name: the port is read as open to every query (the names decide which toFQDNs selectors learn addresses)');
  });
  const http = list(rules.http);
  if (http.length === 0) return undefined;
  let out = ConnSet.empty(d);
  http.forEach((raw, i) => {
    const h = obj(raw) ?? {};
    const where = `${at}/http/${i}`;
    const dims: Partial<Record<keyof typeof DIM, Intervals>> = { proto: [TCP, TCP] };
    if (typeof h.method === 'string' && h.method !== '') {
      const ids = methodIds(h.method);
      if (!ids) p.add('CILIUM_INVALID_REGEX', `${where}/method`, gotText(h.method));
      else dims.method = ivNormalize(ids.map((x): [number, number] => [x, x]));
    }
    const strings = (key: 'path' | 'host', classes: StringClasses): void => {
      const value = h[key];
      if (typeof value !== 'string' || value === '') return;
      if (!validRegex(value)) {
        p.add('CILIUM_INVALID_REGEX', `${where}/${key}`, gotText(value));
        return;
      }
      const reading = regexAsPattern(value);
      if (reading.kind === 'pattern') dims[key] = ivNormalize(classes.classesOf(reading.pattern).map((c): [number, number] => [c, c]));
      else if (reading.kind === 'opaque') p.warn('CILIUM_OUT_OF_SCOPE', `${where}/${key}`, `the ${key} regex ${JSON.stringify(value)} is not an exact, prefix or suffix match; read as matching every ${key}`);
    };
    strings('path', ctx.paths);
    strings('host', ctx.hosts);
    const required = list(h.headers).flatMap((x) => (typeof x === 'string' ? [ctx.headers.indexOf(canonicalHeader(x))] : []));
    if (required.some((x) => x >= 0)) {
      const mask = required.reduce((m, bit) => (bit >= 0 ? m | (1 << bit) : m), 0);
      const masks: [number, number][] = [];
      for (let m = 0; m < 2 ** ctx.headers.length; m++) if ((m & mask) === mask) masks.push([m, m]);
      dims.header = ivNormalize(masks);
    }
    if (h.headerMatches !== undefined) p.warn('CILIUM_OUT_OF_SCOPE', `${where}/headerMatches`, 'headerMatches (with secrets and mismatch actions) are not analysed; read as matching every request');
    out = out.union(ConnSet.cube(d, dims));
  });
  return out;
}
