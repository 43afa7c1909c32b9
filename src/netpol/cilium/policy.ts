import type { PalisadeError } from '../../core/errors.js';
import { obj } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import { Resource } from '../../core/load.js';
import { ConnSet, DIM, ICMP, ICMPV6, SCTP, TCP, UDP, ivNormalize, type Domain, type Intervals } from '../layers/connSet.js';
import type { Endpoint, Topology } from '../layers/endpoints.js';
import { identityLabels, isIdentityLabel } from './identity.js';
import type { StringClasses } from '../layers/l7Classes.js';
import { MeshProblems, type LayerPolicy, type LayerRule, type PeerMatch } from '../layers/model.js';
import { compileSelector, type Selector } from '../selector.js';
import { IpSet, parseCidr, type IpFamily } from '../sets/ipSet.js';
import { canonicalHeader, headerMatchRequirement, methodIds, MISMATCH_ACTIONS, regexAsPattern, validRegex } from './l7.js';
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

/**
 * Entities (pkg/policy/api/entity.go EntitySelectorMapping) and what they are among the engine's
 * peers: pods and outside addresses. `unseen` names what an entity selects that the input does not
 * describe (nodes, Cilium's own proxies and agents): such an entity matches nothing here, with a warning.
 */
const ENTITIES: Readonly<Record<string, { pods: boolean; world: readonly IpFamily[]; unseen?: string }>> = {
  all: { pods: true, world: [4, 6] },
  world: { pods: false, world: [4, 6] },
  'world-ipv4': { pods: false, world: [4] },
  'world-ipv6': { pods: false, world: [6] },
  cluster: { pods: true, world: [] },
  // The input describes one cluster, so the pods of the mesh are its pods.
  'cluster-mesh': { pods: true, world: [] },
  none: { pods: false, world: [] },
  host: { pods: false, world: [], unseen: 'the node of the selected pod (its host network namespace)' },
  'remote-node': { pods: false, world: [], unseen: 'the other nodes of the cluster' },
  'kube-apiserver': { pods: false, world: [], unseen: 'the kube-apiserver\'s addresses (learned from the cluster at run time)' },
  ingress: { pods: false, world: [], unseen: 'the Envoy proxy of Cilium\'s Ingress and Gateway API support' },
  init: { pods: false, world: [], unseen: 'endpoints whose labels Cilium has not yet resolved' },
  health: { pods: false, world: [], unseen: 'the cilium-health endpoints of the nodes' },
  unmanaged: { pods: false, world: [], unseen: 'pods Cilium does not manage (host-network or started before Cilium)' },
};

/** ICMP type names Cilium accepts (pkg/policy/api/icmp.go), by family; the numbers are IANA's. */
const ICMP_TYPES: Readonly<Record<'IPv4' | 'IPv6', Readonly<Record<string, number>>>> = {
  IPv4: { EchoReply: 0, DestinationUnreachable: 3, Redirect: 5, Echo: 8, EchoRequest: 8, RouterAdvertisement: 9, RouterSelection: 10, TimeExceeded: 11, ParameterProblem: 12, Timestamp: 13, TimestampReply: 14, Photuris: 40, ExtendedEchoRequest: 42, ExtendedEchoReply: 43 },
  IPv6: { DestinationUnreachable: 1, PacketTooBig: 2, TimeExceeded: 3, ParameterProblem: 4, EchoRequest: 128, EchoReply: 129, MulticastListenerQuery: 130, MulticastListenerReport: 131, MulticastListenerDone: 132, RouterSolicitation: 133, RouterAdvertisement: 134, NeighborSolicitation: 135, NeighborAdvertisement: 136, RedirectMessage: 137, RouterRenumbering: 138, ICMPNodeInformationQuery: 139, ICMPNodeInformationResponse: 140, InverseNeighborDiscoverySolicitation: 141, InverseNeighborDiscoveryAdvertisement: 142, HomeAgentAddressDiscoveryRequest: 144, HomeAgentAddressDiscoveryReply: 145, MobilePrefixSolicitation: 146, MobilePrefixAdvertisement: 147, DuplicateAddressRequestCodeSuffix: 157, DuplicateAddressConfirmationCodeSuffix: 158, ExtendedEchoRequest: 160, ExtendedEchoReply: 161 },
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
  let hostNoted = false;
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
      if (policy?.defaultDeny.ingress && policy.selected.size > 0 && !hostNoted) {
        // repository.go: "insert localhost allow for k8s if the policy subject is not the host" (allow-localhost auto is always on Kubernetes).
        hostNoted = true;
        p.warn('CILIUM_LOCAL_HOST_ALLOWED', `${pointer}/${Array.isArray(spec.ingress) && spec.ingress.length > 0 ? 'ingress' : 'ingressDeny'}`);
      }
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

/**
 * A Cilium selector: Kubernetes label selector syntax, keys optionally prefixed by their source
 * (`k8s:`, `any:`). `namesNamespace` says whether a peer selector leaves the policy's namespace:
 * utils.go getEndpointSelector adds the policy's namespace unless the selector names
 * `io.kubernetes.pod.namespace` or a namespace label (`io.cilium.k8s.namespace.labels.*`).
 */
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
  const dropped = [...new Set(keys.filter((k) => !isIdentityLabel(k)))];
  if (dropped.length > 0) p.warn('CILIUM_OUT_OF_SCOPE', at, `Cilium leaves ${dropped.join(', ')} out of security identities (its default label filter), so no pod carries ${dropped.length > 1 ? 'them' : 'it'} for this selector`);
  return { selector, namesNamespace: keys.some((k) => k === CILIUM_LABELS.namespace || k.startsWith(CILIUM_LABELS.namespaceLabelsPrefix)), reserved };
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
  let endpointSelector = spec.endpointSelector;
  const ownLabels = obj(obj(endpointSelector)?.matchLabels);
  const forcedKey = `k8s:${CILIUM_LABELS.namespace}`;
  if (namespace !== undefined && ownLabels && forcedKey in ownLabels) {
    // ParseToCiliumRule: AddMatch(k8s:io.kubernetes.pod.namespace, <policy namespace>) replaces the user's value.
    if (ownLabels[forcedKey] !== namespace) p.warn('CILIUM_OUT_OF_SCOPE', `${pointer}/endpointSelector/matchLabels`, `a CiliumNetworkPolicy selects in its own namespace: Cilium replaces ${forcedKey}=${String(ownLabels[forcedKey])} with ${namespace}`);
    endpointSelector = { ...obj(endpointSelector), matchLabels: Object.fromEntries(Object.entries(ownLabels).filter(([k]) => k !== forcedKey)) };
  }
  const es = compileCilium(endpointSelector, `${pointer}/endpointSelector`, p);
  if (!es) return undefined;
  const selected = new Set(pods.filter((ep) => (namespace === undefined || ep.namespace === namespace) && es.selector.matches(identityLabels(ep))));

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
  // It only acts through the direction's rules (RulesToPolicyEntries gives each rule's entries the flag; a direction without rules has no entry).
  const defaultDeny = { ingress: ingress.present && (typeof edd.ingress === 'boolean' ? edd.ingress : true), egress: egress.present && (typeof edd.egress === 'boolean' ? edd.egress : true) };
  for (const k of ['ingress', 'egress'] as const) {
    if (edd[k] === true && !(k === 'ingress' ? ingress : egress).present) p.warn('CILIUM_OUT_OF_SCOPE', `${pointer}/enableDefaultDeny/${k}`, `the policy has no ${k} rules, so it puts nothing into default deny for ${k} (Cilium derives default deny from the rules of each direction)`);
  }
  if (!ingress.present && !egress.present) {
    // api.Rule.Sanitize: "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny".
    p.add('CILIUM_NO_RULES', pointer);
    return undefined;
  }
  return {
    kind: label.split(' ')[0]!,
    name: label.slice(label.indexOf(' ') + 1),
    selected,
    ...(ingress.present ? { ingress: ingress.rules } : {}),
    ...(egress.present ? { egress: egress.rules } : {}),
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
    // utils.go getEndpointSelector: a selector that names no namespace (nor namespace label) stays in the policy's (a CCNP's: any).
    for (const ep of pods) if ((sel.namesNamespace || namespace === undefined || ep.namespace === namespace) && sel.selector.matches(identityLabels(ep))) endpoints.add(ep);
  });
  // CIDR is `format: cidr` in the CRD and CIDR.sanitize parses a prefix: an address needs its "/bits".
  const cidr = (text: unknown, where: string): IpSet | undefined => {
    const parsed = typeof text === 'string' ? parseCidr(text) : undefined;
    if (!parsed) {
      p.add('CILIUM_INVALID_CIDR', where, `${gotText(text)}${typeof text === 'string' && !text.includes('/') && parseCidr(`${text}/${text.includes(':') ? 128 : 32}`) ? ' (a CIDR needs its prefix length)' : ''}`);
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
    // CIDRRule.sanitize: exactly one of cidr, cidrGroupRef, cidrGroupSelector.
    const given = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter((k) => entry[k] !== undefined && entry[k] !== null && entry[k] !== '');
    if (given.length !== 1) {
      p.add(given.length === 0 ? 'CILIUM_INVALID_CIDR' : 'CILIUM_CONFLICTING_FIELDS', where, given.length === 0 ? 'one of cidr, cidrGroupRef, or cidrGroupSelector is required' : `more than one of ${given.join(', ')}`);
      return;
    }
    if (given[0] !== 'cidr') {
      p.warn('CILIUM_OUT_OF_SCOPE', where, 'cidrGroupRef / cidrGroupSelector name CiliumCIDRGroups the analysis does not read; the entry matches nothing');
      return;
    }
    let set = cidr(entry.cidr, `${where}/cidr`);
    const whole = set;
    list(entry.except).forEach((e, j) => {
      const ex = cidr(e, `${where}/except/${j}`);
      if (!ex || !whole) return;
      // "allow CIDR prefix %s does not contain exclude CIDR prefix %s" (also a family mismatch).
      if (ex.family !== whole.family || !whole.contains(ex)) p.add('CILIUM_INVALID_CIDR', `${where}/except/${j}`, `${JSON.stringify(e)} is not inside ${JSON.stringify(entry.cidr)}`);
      else set = set!.subtract(ex);
    });
    if (set) ips.push(set);
  });
  list(rule[`${pre}Entities`]).forEach((e, i) => {
    const entity = ENTITIES[String(e)];
    if (!entity) {
      p.add('CILIUM_INVALID_ENTITY', `${at}/${pre}Entities/${i}`, `${gotText(e)}; known: ${Object.keys(ENTITIES).join(', ')}`);
      return;
    }
    if (entity.unseen) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}Entities/${i}`, `the ${String(e)} entity stands for ${entity.unseen}, which the input does not describe (no address of the matrix is read as one of them): it matches nothing here`);
    // labels/cidr.go getWorldLabel: only with IPv6 enabled do outside addresses carry reserved:world-ipv4/-ipv6; a single-stack cluster labels them reserved:world alone.
    if (entity.world.length === 1) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}Entities/${i}`, `${String(e)} selects outside addresses only on a cluster with both IPv4 and IPv6 enabled (single-stack clusters label them reserved:world, which ${String(e)} does not select); read as dual-stack: every IPv${entity.world[0]} address outside the cluster`);
    if (entity.pods) for (const ep of pods) endpoints.add(ep);
    // A ServiceEntry host is outside the cluster: the world entity holds it.
    if (entity.world.length === 2) for (const ep of ctx.dnsEntries) endpoints.add(ep);
    world(entity.world);
  });
  // IngressCommonRule.sanitize: ErrFromToNodesRequiresNodeSelectorOption unless --enable-node-selector-labels.
  if (nonEmpty(`${pre}Nodes`)) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}Nodes`, `${pre}Nodes needs the agent flag --enable-node-selector-labels (off by default; without it the agent refuses the whole policy); read as enabled: it selects nodes, which the input does not describe, so it matches nothing here`);
  if (nonEmpty(`${pre}Groups`)) p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${pre}Groups`, `${pre}Groups select cloud provider groups the input does not describe; they match nothing here`);
  // Removed in Cilium 1.19 (cilium/cilium#42615); the CRD keeps the field with MaxItems=0 (#43167), so the API server refuses a list with items.
  if (nonEmpty(`${pre}Requires`)) p.add('CILIUM_REMOVED_FIELD', `${at}/${pre}Requires`, `${pre}Requires was removed in Cilium 1.19: the CRD allows it no items (maxItems 0), so the API server refuses the policy`);
  // CIDRs that hold every address of a family are the world entity ("Allowing to world is identical to allowing to CIDR 0.0.0.0/0"); before toFQDNs adds its assumed addresses.
  if (ips.some((set) => set.contains(IpSet.all(set.family)))) for (const ep of ctx.dnsEntries) endpoints.add(ep);
  let fqdn: FqdnRule | undefined;
  if (direction === 'egress') {
    list(rule.toServices).forEach((s, i) => toService(s, `${at}/toServices/${i}`, ctx, p, endpoints, ips));
    if (nonEmpty('toFQDNs') && action === 'Deny') p.warn('CILIUM_OUT_OF_SCOPE', `${at}/toFQDNs`, 'egressDeny has no toFQDNs (api.EgressDenyRule); ignored');
    else if (nonEmpty('toFQDNs')) fqdn = toFqdns(rule.toFQDNs as unknown[], `${at}/toFQDNs`, ctx, p, endpoints, ips);
  }
  const hasL4 = nonEmpty('toPorts') || nonEmpty('icmps');
  // mergeEndpointSelectors (pkg/policy/utils/parserules.go): "Explicitly check for empty non-nil slices, it should not result in any identity being selected."
  const emptyL3 = ['Endpoints', 'Nodes', 'Entities', 'CIDR', 'CIDRSet'].map((k) => pre + k).find((k) => Array.isArray(rule[k]) && (rule[k] as unknown[]).length === 0);
  if (emptyL3 !== undefined && !hasL3) {
    p.warn('CILIUM_OUT_OF_SCOPE', `${at}/${emptyL3}`, `an empty ${emptyL3} list selects no peer (not every peer): the rule matches nothing`);
  } else if (!hasL3 && hasL4) {
    // No L3 field: the L4 part applies to every peer.
    for (const ep of pods) endpoints.add(ep);
    for (const ep of ctx.dnsEntries) endpoints.add(ep);
    world([4, 6]);
  }
  const peer: PeerMatch = { endpoints, ips };
  const self: PeerMatch = { endpoints: selected, ips: [] };
  const conns = parseL4(rule, at, direction, action, ctx, p);
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
      for (const ep of ctx.topology.endpoints) if (ep.kind === 'pod' && ep.namespace === svc.namespace && Object.entries(svc.selector).every(([k, v]) => identityLabels(ep)[k] === v)) endpoints.add(ep);
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

function parseL4(rule: Record<string, unknown>, at: string, direction: 'ingress' | 'egress', action: 'Allow' | 'Deny', ctx: Ctx, p: MeshProblems): ConnsOf {
  const d = ctx.domain;
  const portRules = list(rule.toPorts);
  const icmps = list(rule.icmps);
  if (portRules.length === 0 && icmps.length === 0) {
    const all = ConnSet.all(d);
    return () => all;
  }
  let fixed = ConnSet.empty(d);
  icmps.forEach((raw, i) => {
    const fields = list(obj(raw)?.fields);
    // ICMPRule.verify: "too many types, the max is 40".
    if (fields.length > MAX_PORTS) {
      p.add('CILIUM_INVALID_ICMP', `${at}/icmps/${i}/fields`, `too many types, the max is ${MAX_PORTS} (got ${fields.length})`);
      return;
    }
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
    const ports = list(pr.ports);
    // PortRule.sanitize / PortDenyRule.sanitize: "too many ports, the max is 40".
    if (ports.length > MAX_PORTS) {
      p.add('CILIUM_INVALID_PORT', `${where}/ports`, `too many ports, the max is ${MAX_PORTS} (got ${ports.length})`);
      return;
    }
    if (!portRuleValid(pr, where, direction, p)) return;
    const l7 = parseL7(obj(pr.rules), `${where}/rules`, action, ctx, p);
    // A port rule without ports adds no filter (mergeL4Filter iterates its ports; L3-only is a rule without toPorts).
    if (ports.length === 0) p.warn('CILIUM_OUT_OF_SCOPE', where, 'a toPorts entry without ports matches no traffic');
    const dns = list(obj(pr.rules)?.dns).length > 0;
    ports.forEach((rawPort, j) => {
      const port = readPort(obj(rawPort) ?? {}, `${where}/ports/${j}`, dns, p);
      if (port) parts.push({ ...port, ...(l7 ? { l7 } : {}) });
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
  // Ingress resolves a name on the subject pod itself (Endpoint.GetIngressNamedPort); egress on the
  // destination's security identity (GetEgressNamedPorts), as one table per identity.
  const portsOf = direction === 'ingress' ? podNamedPort : identityNamedPort(ctx.topology);
  return (_src, dst) => {
    let out = fixed;
    if (dst === undefined) return out;
    // ANY was split into TCP, UDP and SCTP filters (rule.go), each resolving the name for its own protocol.
    for (const part of named) for (const proto of part.proto) out = out.union(cubeOf(part, portOne(portsOf(dst, part.name!, proto)), [proto]));
    return out;
  };
}

const portOne = (port: number | undefined): Intervals => (port === undefined ? [] : [port, port]);

/** types.NamedPortMap.GetNamedPort: the pod's port of that name, only when its protocol is the rule's. */
function podNamedPort(ep: Endpoint, name: string, proto: number): number | undefined {
  return ep.ports.find((x) => x.name === name && x.protocol === proto)?.port;
}

const identityPorts = new WeakMap<Topology, (ep: Endpoint, name: string, proto: number) => number | undefined>();

/**
 * namedPortMultiMap.GetNamedPorts (pkg/types/portmap.go): the named ports of every pod, gathered by
 * (security identity, protocol). A destination gets the port its identity's pods give the name, and
 * none when they give it different numbers ("skipped ... if there are more than one port defined for
 * the identity"). Pods with the same identity labels share one identity, so a pod without the port
 * is reached on the number its twins define.
 */
function identityNamedPort(topology: Topology): (ep: Endpoint, name: string, proto: number) => number | undefined {
  const cached = identityPorts.get(topology);
  if (cached) return cached;
  const keys = new Map<Endpoint, string>();
  const key = (ep: Endpoint): string => {
    let k = keys.get(ep);
    if (k === undefined) keys.set(ep, (k = JSON.stringify(Object.entries(identityLabels(ep)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))));
    return k;
  };
  const table = new Map<string, number | 'duplicate'>();
  for (const ep of topology.endpoints) {
    if (ep.kind !== 'pod') continue;
    const id = key(ep);
    for (const x of ep.ports) {
      const k = `${id}\u0000${x.name}\u0000${x.protocol}`;
      const seen = table.get(k);
      table.set(k, seen === undefined || seen === x.port ? x.port : 'duplicate');
    }
  }
  const lookup = (ep: Endpoint, name: string, proto: number): number | undefined => {
    if (ep.kind !== 'pod') return undefined;
    const port = table.get(`${key(ep)}\u0000${name}\u0000${proto}`);
    return typeof port === 'number' ? port : undefined;
  };
  identityPorts.set(topology, lookup);
  return lookup;
}

/** rule_validation.go maxPorts and maxICMPFields: the most ports of one port rule, and ICMP fields of one icmps entry. */
const MAX_PORTS = 40;

/** The protocols of api.PortProtocol's enum besides ANY, by IANA number; the CRD's enum is case-sensitive. */
const PORT_PROTOCOLS: Readonly<Record<string, number>> = { TCP, UDP, SCTP, VRRP: 112, IGMP: 2, GRE: 47, IPIP: 4, IPV6: 41, ESP: 50, AH: 51 };
/** Protocols without transport ports (isExtendedIPProtocol), which need --enable-extended-ip-protocols. */
const EXTENDED_PROTOCOLS = new Set(['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH']);
/** iana.IsSvcName: a port name (1-15 characters, a letter among them, single hyphens inside). */
const SVC_NAME = /^([a-zA-Z0-9]-?)*[a-zA-Z](-?[a-zA-Z0-9])*$/;

/**
 * What PortRule.sanitize refuses about a port rule's L7 part (rule_validation.go): DNS rules on
 * ingress or without ports, HTTP on a port whose protocol is not exactly TCP, L7 rules with port 0,
 * and two L7 kinds in one rule.
 */
function portRuleValid(pr: Record<string, unknown>, where: string, direction: 'ingress' | 'egress', p: MeshProblems): boolean {
  const rules = obj(pr.rules);
  const http = list(rules?.http).length;
  const dns = list(rules?.dns).length;
  const ports = list(pr.ports).map((x) => obj(x) ?? {});
  const fail = (pointer: string, detail: string): false => {
    p.add('CILIUM_CONFLICTING_FIELDS', pointer, detail);
    return false;
  };
  if (rules && http + dns > 0 && Array.isArray(rules.http) && Array.isArray(rules.dns)) return fail(`${where}/rules`, 'multiple L7 protocol rule types specified in single rule');
  if (dns > 0 && direction === 'ingress') return fail(`${where}/rules/dns`, 'DNS rules are not allowed on ingress');
  if (dns > 0 && ports.length === 0) return fail(`${where}/rules/dns`, 'port 53 must be specified for DNS rules');
  if (http === 0 && dns === 0) return true;
  for (const [j, port] of ports.entries()) {
    if (String(port.port ?? '') === '0') return fail(`${where}/ports/${j}/port`, 'L7 rules can not be used when a port is 0');
    if (http > 0 && String(port.protocol ?? '').toUpperCase() !== 'TCP') return fail(`${where}/ports/${j}${port.protocol === undefined ? '' : '/protocol'}`, `L7 rules can only apply to TCP (not ${port.protocol === undefined || port.protocol === '' ? 'ANY' : String(port.protocol)}) except for DNS rules`);
  }
  return true;
}

/** One api.PortProtocol as PortProtocol.sanitize and createL4Filter read it; undefined (with the error) when Cilium refuses it. */
function readPort(port: Record<string, unknown>, pw: string, dns: boolean, p: MeshProblems): { proto: number[]; ports?: Intervals; name?: string } | undefined {
  const protoText = port.protocol === undefined || port.protocol === '' ? 'ANY' : String(port.protocol);
  const number = protoText === 'ANY' ? undefined : PORT_PROTOCOLS[protoText];
  if (protoText !== 'ANY' && number === undefined) {
    const known = PORT_PROTOCOLS[protoText.toUpperCase()] !== undefined || protoText.toUpperCase() === 'ANY';
    p.add('CILIUM_INVALID_PROTOCOL', `${pw}/protocol`, `${gotText(port.protocol)}${known ? ' (the CRD enum is upper case: the API server refuses it)' : ''}`);
    return undefined;
  }
  const proto = number === undefined ? [TCP, UDP, SCTP] : [number];
  const extended = EXTENDED_PROTOCOLS.has(protoText);
  if (extended) p.warn('CILIUM_OUT_OF_SCOPE', `${pw}/protocol`, `${protoText} rules need the agent flag --enable-extended-ip-protocols (off by default); read as enabled`);
  const text = port.port === undefined || port.port === null ? '' : String(port.port);
  const end = port.endPort;
  const bad = (why: string): undefined => {
    p.add('CILIUM_INVALID_PORT', pw, `${why}: port ${gotText(port.port)}${end !== undefined ? `, endPort ${gotText(end)}` : ''}`);
    return undefined;
  };
  if (end !== undefined && (typeof end !== 'number' || !Number.isInteger(end) || end < 0 || end > 65535)) return bad('endPort must be a number 0-65535');
  if (extended) return text === '' || text === '0' ? { proto } : bad(`${protoText} has no ports: port must be empty or 0`);
  if (text === '') return bad('port must be specified');
  if (text.length <= 15 && SVC_NAME.test(text)) {
    // Port names compare case-insensitively (PortProtocol.sanitize lower-cases them); a named port takes no range.
    if (end !== undefined && end !== 0) p.warn('CILIUM_OUT_OF_SCOPE', `${pw}/endPort`, 'a named port takes no range: endPort is ignored');
    return { proto, name: text.toLowerCase() };
  }
  // strconv.ParseUint(port, 0, 16): a leading 0 reads the digits as octal.
  const n = /^[1-9]\d*$|^0$/.test(text) ? Number(text) : /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number.NaN;
  if (!Number.isInteger(n) || n > 65535) return bad('unable to parse port');
  if (dns && typeof end === 'number' && end > n) return bad('DNS rules do not support port ranges');
  // Port 0 means every port; keysForRange reads an endPort not above port as the single port.
  if (n === 0) return { proto, ports: [1, 65535] };
  if (typeof end === 'number' && end !== 0 && end < n) p.warn('CILIUM_OUT_OF_SCOPE', `${pw}/endPort`, `endPort ${end} is below port ${n}: Cilium reads the single port ${n}`);
  return { proto, ports: [n, typeof end === 'number' && end > n ? end : n] };
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
    list(h.headerMatches).forEach((m, j) => {
      const entry = obj(m) ?? {};
      if (typeof entry.name !== 'string' || entry.name === '') p.add('CILIUM_INVALID_HEADER_MATCH', `${where}/headerMatches/${j}`, 'Header name missing');
      else if (entry.mismatch !== undefined && !MISMATCH_ACTIONS.has(String(entry.mismatch))) p.add('CILIUM_INVALID_HEADER_MATCH', `${where}/headerMatches/${j}/mismatch`, `Invalid header action: ${gotText(entry.mismatch)}`);
      const req = headerMatchRequirement(m);
      if (req === 'secret') p.warn('CILIUM_OUT_OF_SCOPE', `${where}/headerMatches/${j}/secret`, 'the header value is in a Secret the analysis does not read; read as matching every request');
      else if (typeof req === 'object') required.push(ctx.headers.indexOf(req.header));
    });
    if (required.some((x) => x >= 0)) {
      const mask = required.reduce((m, bit) => (bit >= 0 ? m | (1 << bit) : m), 0);
      const masks: [number, number][] = [];
      for (let m = 0; m < 2 ** ctx.headers.length; m++) if ((m & mask) === mask) masks.push([m, m]);
      dims.header = ivNormalize(masks);
    }
    out = out.union(ConnSet.cube(d, dims));
  });
  return out;
}
