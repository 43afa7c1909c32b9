import type { PalisadeError } from '../../core/errors.js';
import { arr, obj } from '../layers/parsing.js';
import { gotText, quotedAround } from '../parse/common.js';
import type { Resource } from '../../core/load.js';
import { ConnSet, DIM, ICMP_PROTOCOLS, ivNormalize, ivSubtract, METHODS, OTHER_METHOD, TCP, type Domain, type Intervals } from '../layers/connSet.js';
import type { StringClasses } from '../layers/l7Classes.js';
import { effectiveLabels, intersectSets, PROTOCOL_NUMBERS, topologyIndex, type Endpoint, type Topology } from '../layers/endpoints.js';
import { MeshProblems, type CalicoTier, type LayerAction, type LayerPolicy, type LayerRule, type PeerMatch } from '../layers/model.js';
import { OperatorPolicyResource } from '../operatorPolicies.js';
import { parseNetworkPolicy } from '../parse/networkPolicy.js';
import type { NetpolRule, RulePort } from '../model.js';
import { IpSet, parseCidr } from '../sets/ipSet.js';
import { ADMIN_TIER, BASELINE_TIER } from './adminTiers.js';
import { evalCalicoSelector, mentionsGlobal, parseCalicoSelector, SelectorSyntaxError, type CalicoSelector } from './selector.js';

/**
 * projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy and Profile, and networking.k8s.io
 * NetworkPolicy, as one ordered layer: Calico sees a Kubernetes NetworkPolicy as a policy of order
 * 1000 (docs.tigera.io, "Kubernetes policy"). Modelled as the mesh corpus's oracle, IBM's
 * network-config-analyzer, models them (CalicoPolicyYamlParser.py): policies sorted by order, a
 * missing order last; rules matched first to last; Pass hands the decision to the profiles, which
 * allow pods everything; an endpoint no policy selects is not isolated (pods) or isolated (host
 * endpoints). Tiers (docs.tigera.io, "Tier"): tiers sorted by order, smallest first, a tier without
 * order last; each tier with a policy that applies to the endpoint processes the connection, Allow and
 * Deny end it, Pass goes to the next such tier, and a tier that takes no action denies (or passes, with
 * `defaultAction: Pass`); after the last tier, the profiles. Policies without `tier` and Kubernetes
 * NetworkPolicies are in the `default` tier, of order 1,000,000 (projectcalico api v3, DefaultTierOrder).
 */

export const CALICO_API = 'projectcalico.org/v3';
export const CALICO_KINDS = new Set(['NetworkPolicy', 'GlobalNetworkPolicy', 'Profile', 'Tier']);
export const DEFAULT_TIER: CalicoTier = { name: 'default', order: 1_000_000, defaultAction: 'Deny' };
const PORT_PROTOCOLS = new Set([6, 17, 132, 136]);
const ACTIONS = new Set<LayerAction>(['Allow', 'Deny', 'Pass', 'Log']);
/** Calico policy fields that change where a policy applies; the layered engine does not model them. */
const OUT_OF_SCOPE = ['applyOnForward', 'preDNAT', 'doNotTrack'] as const;

export function isCalicoPolicy(r: Resource): boolean {
  return String(r.object.apiVersion) === CALICO_API && CALICO_KINDS.has(String(r.object.kind));
}

export function isK8sNetworkPolicy(r: Resource): boolean {
  return r.object.kind === 'NetworkPolicy' && String(r.object.apiVersion).startsWith('networking.k8s.io/');
}

interface Ctx {
  topology: Topology;
  domain: Domain;
  allIps: readonly IpSet[];
  /** The path classes (rules' `http.paths` are among their patterns, see calicoL7Patterns). */
  paths?: StringClasses;
  /** The labels a Kubernetes NetworkPolicy's pod selectors see (on Cilium: the identity labels). */
  labelsOf: (ep: Endpoint) => Record<string, string>;
}

/** An `http.paths` entry as an Istio-style pattern (libcalico-go HTTPPath: `exact` the path, `prefix` what starts with it). */
function httpPathPattern(entry: Record<string, unknown>): string | undefined {
  if (typeof entry.exact === 'string' && entry.prefix === undefined) return entry.exact;
  if (typeof entry.prefix === 'string' && entry.exact === undefined) return entry.prefix === '' ? '*' : `${entry.prefix}*`;
  return undefined;
}

/** The path patterns of Calico ingress rules' `http` matches, so the path classes tell them apart. */
export function calicoL7Patterns(resources: readonly Resource[]): string[] {
  const out: string[] = [];
  for (const r of resources) {
    if (!isCalicoPolicy(r)) continue;
    for (const rule of arr(obj(r.object.spec)?.ingress)) {
      for (const entry of arr(obj(obj(rule)?.http)?.paths)) {
        const pattern = obj(entry) ? httpPathPattern(obj(entry)!) : undefined;
        if (pattern) out.push(pattern);
      }
    }
  }
  return out;
}

/** Calico's selector helpers over the topology. */
class Selectors {
  private everything?: Endpoint[];
  private byNamespace?: Map<string | undefined, Endpoint[]>;

  constructor(private readonly ctx: Ctx) {}

  /** Endpoints a `selector` picks, among those of `namespace` (every endpoint when undefined). */
  pods(sel: CalicoSelector, namespace: string | undefined): Set<Endpoint> {
    const out = new Set<Endpoint>();
    for (const ep of this.among(namespace)) {
      if (evalCalicoSelector(sel, { labels: effectiveLabels(ep), global: ep.namespace === undefined })) out.add(ep);
    }
    return out;
  }

  /** Endpoints whose namespace a `namespaceSelector` picks; global endpoints only through global(). */
  namespaces(sel: CalicoSelector): Set<Endpoint> {
    const out = new Set<Endpoint>();
    const withGlobal = mentionsGlobal(sel);
    this.among(undefined);
    for (const [ns, list] of this.byNamespace!) {
      // One evaluation per namespace: the selector reads the namespace's labels only.
      const picked = ns === undefined ? withGlobal && evalCalicoSelector(sel, { labels: {}, global: true, allExcludesGlobal: true }) : evalCalicoSelector(sel, { labels: this.ctx.topology.namespaces.get(ns)?.labels ?? {}, global: false });
      if (!picked) continue;
      for (const ep of list) out.add(ep);
    }
    return sorted(out, this.all());
  }

  /**
   * Pods whose service account matches (docs.tigera.io, "NetworkPolicy", ServiceAccountMatch): one of
   * `names`, and `selector` over the ServiceAccount's labels (with `projectcalico.org/name`, as the
   * profile Calico makes of it carries); both when both are given.
   */
  serviceAccounts(names: readonly string[] | undefined, sel: CalicoSelector | undefined, namespace: string | undefined): Set<Endpoint> {
    const out = new Set<Endpoint>();
    for (const ep of namespace === undefined ? this.ctx.topology.endpoints : topologyIndex(this.ctx.topology).inNamespace(namespace)) {
      if (ep.kind !== 'pod') continue;
      if (names && !names.includes(ep.serviceAccount)) continue;
      const labels = { ...(this.ctx.topology.serviceAccounts?.get(`${ep.namespace}/${ep.serviceAccount}`) ?? {}), 'projectcalico.org/name': ep.serviceAccount };
      if (sel && !evalCalicoSelector(sel, { labels, global: false })) continue;
      out.add(ep);
    }
    return out;
  }

  inNamespace(namespace: string | undefined): Set<Endpoint> {
    return new Set(this.among(namespace));
  }

  /** Endpoints and NetworkSets of a namespace (every one when undefined): NCA keeps both among the peers selectors choose from. */
  private among(namespace: string | undefined): readonly Endpoint[] {
    if (!this.byNamespace) {
      this.byNamespace = new Map();
      for (const ep of this.all()) {
        let list = this.byNamespace.get(ep.namespace);
        if (!list) this.byNamespace.set(ep.namespace, (list = []));
        list.push(ep);
      }
    }
    return namespace === undefined ? this.all() : (this.byNamespace.get(namespace) ?? []);
  }

  private all(): Endpoint[] {
    return (this.everything ??= [...this.ctx.topology.endpoints, ...this.ctx.topology.netsets]);
  }
}

/** A set in the order of `order` (results are read in topology order, as NCA lists them). */
function sorted(set: Set<Endpoint>, order: readonly Endpoint[]): Set<Endpoint> {
  return set.size <= 1 ? set : new Set(order.filter((ep) => set.has(ep)));
}

interface PortSpec {
  ranges: [number, number][];
  names: string[];
}

/** Parses every Calico and Kubernetes policy in input order (Profiles' labelsToApply affect the policies after them). */
/** `admin`: AdminNetworkPolicies and the BaselineAdminNetworkPolicy as policies of their tiers (adminTiers.ts), ordered with the rest. */
export function parseCalicoLayer(resources: readonly Resource[], topology: Topology, domain: Domain, paths?: StringClasses, admin: readonly LayerPolicy[] = [], labelsOf: (ep: Endpoint) => Record<string, string> = effectiveLabels): { policies: LayerPolicy[]; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const ctx: Ctx = { topology, domain, allIps: [IpSet.all(4), IpSet.all(6)], ...(paths ? { paths } : {}), labelsOf };
  const sel = new Selectors(ctx);
  const policies: { policy: LayerPolicy; index: number }[] = [];
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  // NCA parses Profiles before everything else (latest first) and uses only their labelsToApply;
  // an endpoint that no policy selects is allowed everything, as Calico's generated default profiles do.
  for (const r of [...resources].reverse()) {
    if (!isCalicoPolicy(r) || r.object.kind !== 'Profile') continue;
    const p = new MeshProblems(r);
    applyProfileLabels(r, ctx, p);
    if (obj(r.object.spec)?.ingress !== undefined || obj(r.object.spec)?.egress !== undefined) p.warn('CALICO_OUT_OF_SCOPE', '/spec', 'Profile rules (an endpoint selected by no policy is allowed everything, as with the default profiles)');
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  // The tiers Calico creates at installation (v3.29-v3.31 for the admin ones: adminTiers.ts); a Tier object of the input may redefine them.
  const tiers = new Map<string, CalicoTier>([DEFAULT_TIER, ADMIN_TIER, BASELINE_TIER].map((t) => [t.name, t]));
  for (const r of resources) {
    if (!isCalicoPolicy(r) || r.object.kind !== 'Tier') continue;
    const p = new MeshProblems(r);
    const tier = parseTier(r, p);
    if (tier) tiers.set(tier.name, tier);
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  resources.forEach((r, index) => {
    if (isCalicoPolicy(r) && (r.object.kind === 'Profile' || r.object.kind === 'Tier')) return;
    if (isCalicoPolicy(r)) {
      const p = new MeshProblems(r);
      const policy = parseCalico(r, ctx, sel, p);
      if (policy) {
        const spec = obj(r.object.spec) ?? {};
        const name = typeof spec.tier === 'string' && spec.tier !== '' ? spec.tier : 'default';
        let tier = tiers.get(name);
        if (!tier) {
          p.warn('CALICO_TIER_ASSUMED', '/spec/tier', `tier ${JSON.stringify(name)}`);
          tiers.set(name, (tier = { name, defaultAction: 'Deny' }));
        }
        policy.tier = tier;
      }
      errors.push(...p.errors);
      warnings.push(...p.warnings);
      if (policy && p.errors.length === 0) policies.push({ policy, index });
    } else if (isK8sNetworkPolicy(r)) {
      const parsed = parseNetworkPolicy(r, { namedPortToIpIsError: false, ...(r instanceof OperatorPolicyResource ? { describedAs: r.description } : {}) });
      errors.push(...parsed.errors);
      warnings.push(...parsed.warnings);
      if (parsed.policy) policies.push({ policy: fromK8s(parsed.policy, ctx), index });
    }
  });
  // Before the input's policies of equal order in their tier; a Tier object named like theirs redefines it.
  for (const policy of admin) policies.push({ policy: { ...policy, tier: tiers.get(policy.tier!.name) ?? policy.tier! }, index: -1 });
  // A stable sort: equal orders keep the input order, as NCA's insort does.
  // Kubernetes NetworkPolicies are in the default tier (which a Tier object named default may redefine).
  const defaultTier = tiers.get('default')!;
  for (const { policy } of policies) policy.tier ??= defaultTier;
  const tierOf = (x: LayerPolicy): CalicoTier => x.tier ?? defaultTier;
  policies.sort((a, b) => {
    const ta = tierOf(a.policy);
    const tb = tierOf(b.policy);
    if (ta !== tb) return (ta.order ?? Infinity) - (tb.order ?? Infinity) || (ta.name < tb.name ? -1 : 1);
    return (a.policy.order ?? Infinity) - (b.policy.order ?? Infinity) || a.index - b.index;
  });
  return { policies: policies.map((p) => p.policy), errors, warnings };
}

function parseTier(r: Resource, p: MeshProblems): CalicoTier | undefined {
  const md = obj(r.object.metadata) ?? {};
  const spec = obj(r.object.spec) ?? {};
  const name = typeof md.name === 'string' ? md.name : '';
  let ok = true;
  if (spec.order !== undefined && spec.order !== null && typeof spec.order !== 'number') {
    p.add('CALICO_INVALID_TIER', '/spec/order', gotText(spec.order));
    ok = false;
  }
  if (spec.defaultAction !== undefined && spec.defaultAction !== 'Deny' && spec.defaultAction !== 'Pass') {
    p.add('CALICO_INVALID_TIER', '/spec/defaultAction', gotText(spec.defaultAction));
    ok = false;
  }
  if (!ok || name === '') return undefined;
  return { name, ...(typeof spec.order === 'number' ? { order: spec.order } : {}), defaultAction: spec.defaultAction === 'Pass' ? 'Pass' : 'Deny' };
}

function parseCalico(r: Resource, ctx: Ctx, sel: Selectors, p: MeshProblems): LayerPolicy | undefined {
  const kind = String(r.object.kind);
  const md = obj(r.object.metadata) ?? {};
  const name = typeof md.name === 'string' ? md.name : '';
  const isProfile = kind === 'Profile';
  const isGlobal = kind === 'GlobalNetworkPolicy';
  if (isGlobal && typeof md.namespace === 'string' && md.namespace !== '') p.add('CALICO_GLOBAL_WITH_NAMESPACE', '/metadata/namespace');
  const namespace = kind === 'NetworkPolicy' ? (typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default') : undefined;
  const spec = obj(r.object.spec);
  if (!spec) {
    p.add('MESH_NOT_AN_OBJECT', '/spec', 'spec');
    return undefined;
  }
  for (const key of OUT_OF_SCOPE) if (spec[key] === true) p.warn('CALICO_OUT_OF_SCOPE', `/spec/${key}`, `${key}: the policy is evaluated as if it were false`);
  const fullName = `${kind} ${namespace ? `${namespace}/` : ''}${name}`;
  const selector = (text: unknown, pointer: string): CalicoSelector | undefined => {
    if (typeof text !== 'string' || text.trim() === '') {
      p.add('CALICO_INVALID_SELECTOR', pointer, 'missing selector');
      return undefined;
    }
    try {
      return parseCalicoSelector(text);
    } catch (e) {
      if (e instanceof SelectorSyntaxError) p.add('CALICO_INVALID_SELECTOR', pointer, `${e.message} at offset ${e.offset} of ${quotedAround(text, e.offset)}`);
      else throw e;
      return undefined;
    }
  };

  const types = Array.isArray(spec.types) ? spec.types : [];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') p.add('CALICO_INVALID_TYPES', `/spec/types/${i}`, gotText(t));
  });
  const affectsIngress = types.includes('Ingress') || (types.length === 0 && ('ingress' in spec || !('egress' in spec)));
  const affectsEgress = types.includes('Egress') || (types.length === 0 && 'egress' in spec);
  if (!affectsIngress && 'ingress' in spec) p.add('CALICO_INVALID_TYPES', '/spec/ingress', 'ingress rules but no Ingress in types');
  if (!affectsEgress && 'egress' in spec) p.add('CALICO_INVALID_TYPES', '/spec/egress', 'egress rules but no Egress in types');

  // The selected endpoints.
  let selected: Set<Endpoint>;
  if (typeof spec.selector === 'string' && spec.selector !== '') {
    if (isProfile) p.add('CALICO_INVALID_SELECTOR', '/spec/selector', 'a Profile has no selector');
    const s = selector(spec.selector, '/spec/selector');
    selected = s ? sel.pods(s, namespace) : new Set();
  } else if (isProfile) {
    selected = new Set(ctx.topology.endpoints.filter((ep) => ep.profiles[0] === name));
  } else selected = sel.inNamespace(namespace);
  if (spec.namespaceSelector !== undefined) {
    if (!isGlobal) p.add('CALICO_INVALID_SELECTOR', '/spec/namespaceSelector', 'only a GlobalNetworkPolicy has a namespaceSelector');
    else if (spec.namespaceSelector !== '') {
      const s = selector(spec.namespaceSelector, '/spec/namespaceSelector');
      const inNs = s ? sel.namespaces(s) : new Set<Endpoint>();
      selected = new Set([...selected].filter((ep) => inNs.has(ep)));
    }
  }
  if (typeof spec.serviceAccountSelector === 'string' && spec.serviceAccountSelector !== '') {
    // The policy applies to the endpoints that both selectors pick.
    const s = selector(spec.serviceAccountSelector, '/spec/serviceAccountSelector');
    const bySa = s ? sel.serviceAccounts(undefined, s, namespace) : new Set<Endpoint>();
    selected = new Set([...selected].filter((ep) => bySa.has(ep)));
  }
  selected = new Set([...selected].filter((ep) => ep.kind !== 'netset'));
  let order: number | undefined;
  if (spec.order !== undefined && spec.order !== null) {
    if (typeof spec.order !== 'number') p.add('MESH_NOT_AN_OBJECT', '/spec/order', 'order must be a number');
    else order = spec.order;
  }

  const rules = (direction: 'ingress' | 'egress'): LayerRule[] =>
    (Array.isArray(spec[direction]) ? spec[direction] : []).flatMap((raw, i) => {
      const rule = parseRule(raw, `/spec/${direction}/${i}`, direction, { ctx, sel, p, namespace, selected, isProfile }, `${fullName} ${direction}[${i}]`);
      return rule ? [rule] : [];
    });

  const policy: LayerPolicy = {
    kind,
    name: `${namespace ? `${namespace}/` : ''}${name}`,
    ...(order !== undefined && !isProfile ? { order } : {}),
    selected,
    ...(affectsIngress ? { ingress: rules('ingress') } : {}),
    ...(affectsEgress ? { egress: rules('egress') } : {}),
    origin: p.origin(fullName, '/metadata/name'),
  };
  if (spec.labelsToApply !== undefined) p.add('MESH_NOT_AN_OBJECT', '/spec/labelsToApply', 'only a Profile has labelsToApply');
  return policy;
}

/** labelsToApply: every endpoint that has this profile (anywhere in its list) gets the labels. */
function applyProfileLabels(r: Resource, ctx: Ctx, p: MeshProblems): void {
  const name = String(obj(r.object.metadata)?.name ?? '');
  const spec = obj(r.object.spec);
  if (spec?.selector !== undefined) p.add('CALICO_INVALID_SELECTOR', '/spec/selector', 'a Profile has no selector');
  if (spec?.order !== undefined) p.add('MESH_NOT_AN_OBJECT', '/spec/order', 'a Profile has no order');
  const apply = obj(spec?.labelsToApply);
  if (!apply) return;
  for (const ep of ctx.topology.endpoints) if (ep.profiles.includes(name)) for (const [k, v] of Object.entries(apply)) ep.extraLabels[k] = String(v);
}

interface RuleCtx {
  ctx: Ctx;
  sel: Selectors;
  p: MeshProblems;
  namespace: string | undefined;
  selected: ReadonlySet<Endpoint>;
  isProfile: boolean;
}

function parseProtocol(value: unknown, pointer: string, p: MeshProblems): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 255) return value;
  if (typeof value === 'string' && PROTOCOL_NUMBERS[value] !== undefined) return PROTOCOL_NUMBERS[value];
  p.add('CALICO_INVALID_PROTOCOL', pointer, gotText(value));
  return undefined;
}

function parsePorts(value: unknown, pointer: string, p: MeshProblems): PortSpec {
  const out: PortSpec = { ranges: [], names: [] };
  if (!Array.isArray(value)) {
    p.add('CALICO_INVALID_PORT', pointer, 'ports must be a list');
    return out;
  }
  value.forEach((v, i) => {
    const at = `${pointer}/${i}`;
    const valid = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;
    if (typeof v === 'number') {
      if (valid(v)) out.ranges.push([v, v]);
      else p.add('CALICO_INVALID_PORT', at, `got ${v}`);
    } else if (typeof v === 'string') {
      const m = /^(\d+):(\d+)$/.exec(v);
      if (m) {
        const a = Number(m[1]);
        const b = Number(m[2]);
        if (valid(a) && valid(b) && a <= b) out.ranges.push([a, b]);
        else p.add('CALICO_INVALID_PORT', at, gotText(v));
      } else if (/^\d+$/.test(v)) {
        // Calico reads a quoted number as that port (numorstring.PortFromString); NCA reads it as a port name.
        if (valid(Number(v))) out.ranges.push([Number(v), Number(v)]);
        else p.add('CALICO_INVALID_PORT', at, gotText(v));
      } else if (/^[a-zA-Z0-9_.-]{1,128}$/.test(v)) out.names.push(v);
      else p.add('CALICO_INVALID_PORT', at, gotText(v));
    } else p.add('CALICO_INVALID_PORT', at, gotText(v));
  });
  return out;
}

function resolvePorts(spec: PortSpec | undefined, not: PortSpec | undefined, protocol: number, ep: Endpoint | undefined): Intervals {
  const named = (s: PortSpec): [number, number][] => s.names.flatMap((n) => (ep?.ports ?? []).filter((x) => x.name === n && x.protocol === protocol).map((x): [number, number] => [x.port, x.port]));
  let base: Intervals = spec ? ivNormalize([...spec.ranges, ...named(spec)]) : [1, 65535];
  if (not) base = ivSubtract(base, ivNormalize([...not.ranges, ...named(not)]));
  return base;
}

function parseRule(raw: unknown, pointer: string, direction: 'ingress' | 'egress', rc: RuleCtx, label: string): LayerRule | undefined {
  const { ctx, p } = rc;
  const rule = obj(raw);
  if (!rule) {
    p.add('MESH_NOT_AN_OBJECT', pointer, 'a rule');
    return undefined;
  }
  const action = rule.action as LayerAction;
  if (!ACTIONS.has(action)) {
    p.add('CALICO_INVALID_ACTION', `${pointer}/action`, gotText(rule.action));
    return undefined;
  }
  const http = rule.http !== undefined ? httpMatch(rule.http, `${pointer}/http`, direction, rc) : undefined;
  const protocol = parseProtocol(rule.protocol, `${pointer}/protocol`, p);
  const notProtocol = parseProtocol(rule.notProtocol, `${pointer}/notProtocol`, p);
  const hasPorts = protocol !== undefined && PORT_PROTOCOLS.has(protocol);

  const entity = (side: 'source' | 'destination'): { match: PeerMatch; ports?: PortSpec; notPorts?: PortSpec } => {
    const e = obj(rule[side]);
    if (!e || Object.keys(e).length === 0) return { match: { endpoints: topologyIndex(ctx.topology).all, ips: ctx.allIps } };
    const at = `${pointer}/${side}`;
    const cidrs = (key: 'nets' | 'notNets'): IpSet[] =>
      (Array.isArray(e[key]) ? (e[key] as unknown[]) : []).flatMap((c, i) => {
        // Calico accepts a bare address as a /32 (/128).
        const parsed = typeof c === 'string' ? parseCidr(c.includes('/') ? c : c.includes(':') ? `${c}/128` : `${c}/32`) : undefined;
        if (!parsed) {
          p.add('CALICO_INVALID_CIDR', `${at}/${key}/${i}`, gotText(c));
          return [];
        }
        return [IpSet.range(parsed.family, parsed.first, parsed.last)];
      });
    const nets = cidrs('nets');
    const notNets = cidrs('notNets');
    let ips: IpSet[] = nets.length > 0 ? [4, 6].map((f) => nets.filter((n) => n.family === f).reduce((a, b) => a.union(b), IpSet.empty(f as 4 | 6))) : ctx.allIps.slice();
    ips = ips.map((set) => notNets.filter((n) => n.family === set.family).reduce((a, b) => a.subtract(b), set));
    const hasNets = nets.length > 0 || notNets.length > 0;
    const nsSel = typeof e.namespaceSelector === 'string' && e.namespaceSelector !== '' ? safeSel(e.namespaceSelector, `${at}/namespaceSelector`) : undefined;
    const podSel = typeof e.selector === 'string' && e.selector !== '' ? safeSel(e.selector, `${at}/selector`) : undefined;
    const notSel = typeof e.notSelector === 'string' && e.notSelector !== '' ? safeSel(e.notSelector, `${at}/notSelector`) : undefined;
    let endpoints: Set<Endpoint>;
    let peerIps: IpSet[] = [];
    if (nsSel) endpoints = rc.sel.namespaces(nsSel);
    else if (podSel) endpoints = rc.sel.inNamespace(rc.namespace);
    else if (hasNets) {
      endpoints = new Set();
      peerIps = ips;
    } else {
      endpoints = topologyIndex(ctx.topology).all as Set<Endpoint>;
      peerIps = ctx.allIps.slice();
    }
    const nsToUse = nsSel ? undefined : rc.namespace;
    if (podSel) {
      endpoints = intersectSets(endpoints, rc.sel.pods(podSel, nsToUse));
      peerIps = [];
    }
    if (notSel) {
      const picked = rc.sel.pods(notSel, nsToUse);
      endpoints = new Set([...endpoints].filter((x) => !picked.has(x)));
    }
    const sa = e.serviceAccounts !== undefined ? serviceAccountMatch(e.serviceAccounts, `${at}/serviceAccounts`) : undefined;
    if (sa) {
      // Limited to the namespaces the namespaceSelector picks, else to the policy's own (all for a global one).
      const picked = rc.sel.serviceAccounts(sa.names, sa.selector, nsToUse);
      endpoints = new Set([...(podSel || notSel || nsSel ? endpoints : rc.sel.inNamespace(nsToUse))].filter((x) => picked.has(x)));
      peerIps = [];
    }
    // NCA: mixing nets with label selection is "likely a mistake" and matches nothing.
    if (hasNets && (nsSel || podSel || sa)) {
      endpoints = new Set();
      peerIps = [];
    }
    // NetworkSets a selector picks stand for their addresses.
    if (ctx.topology.netsets.length > 0 && [...endpoints].some((ep) => ep.kind === 'netset')) {
      peerIps = [...peerIps, ...[...endpoints].flatMap((ep) => (ep.kind === 'netset' ? (ep.nets ?? []) : []))];
      endpoints = new Set([...endpoints].filter((ep) => ep.kind !== 'netset'));
    }
    const out: { match: PeerMatch; ports?: PortSpec; notPorts?: PortSpec } = { match: { endpoints, ips: peerIps } };
    if (e.ports !== undefined) {
      if (!hasPorts) p.add('CALICO_PORTS_NEED_PROTOCOL', `${at}/ports`);
      out.ports = parsePorts(e.ports, `${at}/ports`, p);
    }
    if (e.notPorts !== undefined) {
      if (!hasPorts) p.add('CALICO_PORTS_NEED_PROTOCOL', `${at}/notPorts`);
      out.notPorts = parsePorts(e.notPorts, `${at}/notPorts`, p);
    }
    return out;
  };
  function serviceAccountMatch(raw: unknown, at: string): { names?: string[]; selector?: CalicoSelector } | undefined {
    const m = obj(raw);
    if (!m) {
      p.add('MESH_NOT_AN_OBJECT', at, 'serviceAccounts');
      return undefined;
    }
    // An empty list is read as unset (no constraint).
    const names = Array.isArray(m.names) && m.names.length > 0 ? m.names.map(String) : undefined;
    const selector = typeof m.selector === 'string' && m.selector !== '' ? safeSel(m.selector, `${at}/selector`) : undefined;
    return { ...(names ? { names } : {}), ...(selector ? { selector } : {}) };
  }
  function safeSel(text: string, at: string): CalicoSelector | undefined {
    try {
      return parseCalicoSelector(text);
    } catch (err) {
      if (err instanceof SelectorSyntaxError) p.add('CALICO_INVALID_SELECTOR', at, `${err.message} at offset ${err.offset} of ${quotedAround(text, err.offset)}`);
      else throw err;
      return undefined;
    }
  }
  const src = entity('source');
  const dst = entity('destination');
  // The selected endpoints are the destination of ingress rules and the source of egress rules.
  const restrict = (m: PeerMatch): PeerMatch => ({ endpoints: m.endpoints === topologyIndex(ctx.topology).all ? rc.selected : intersectSets(m.endpoints, rc.selected), ips: [] });
  const srcMatch = direction === 'egress' ? restrict(src.match) : src.match;
  const dstMatch = direction === 'ingress' ? restrict(dst.match) : dst.match;

  const d = ctx.domain;
  let fixed: ConnSet | undefined;
  let perPair: ((s: Endpoint | undefined, t: Endpoint | undefined) => ConnSet) | undefined;
  if (protocol !== undefined) {
    // Every match field of a rule must hold: protocol P with notProtocol Q is P, unless Q is P.
    if (notProtocol === protocol) fixed = ConnSet.empty(d);
    else if (hasPorts) {
      const named = [src.ports, src.notPorts, dst.ports, dst.notPorts].some((s) => s && s.names.length > 0);
      const make = (s: Endpoint | undefined, t: Endpoint | undefined): ConnSet => ConnSet.cube(d, { proto: [protocol, protocol], sport: resolvePorts(src.ports, src.notPorts, protocol, s), dport: resolvePorts(dst.ports, dst.notPorts, protocol, t) });
      if (named) perPair = make;
      else fixed = make(undefined, undefined);
    } else if (ICMP_PROTOCOLS.includes(protocol)) fixed = icmpConns(rule, pointer, protocol, d, p);
    else fixed = ConnSet.cube(d, { proto: [protocol, protocol] });
  } else if (notProtocol !== undefined) {
    fixed = ConnSet.cube(d, { proto: ivSubtract([0, 255], [notProtocol, notProtocol]) });
  } else fixed = ConnSet.all(d);
  let conns = perPair ?? ((): ConnSet => fixed!);
  if (http) {
    // An http match narrows the rule to the HTTP requests it names (TCP).
    const l4 = conns;
    if (fixed) {
      const narrowed = fixed.intersect(http);
      conns = (): ConnSet => narrowed;
    } else conns = (s, t) => l4(s, t).intersect(http);
  }
  return { action, src: srcMatch, dst: dstMatch, conns, origin: p.origin(label, pointer) };
}

/**
 * A rule's `http` (libcalico-go HTTPMatch: `methods` OR'd, `paths` OR'd, the two AND'ed) as the
 * requests it matches. Calico applies it to ingress rules only, in application layer policy (the
 * destination's Istio sidecar); on an egress rule it is reported and the rule read without it.
 */
function httpMatch(raw: unknown, at: string, direction: 'ingress' | 'egress', rc: RuleCtx): ConnSet | undefined {
  const { ctx, p } = rc;
  const m = obj(raw);
  if (!m) {
    p.add('MESH_NOT_AN_OBJECT', at, 'http');
    return undefined;
  }
  const methods = m.methods === undefined ? undefined : Array.isArray(m.methods) ? m.methods : undefined;
  if (m.methods !== undefined && !methods) p.add('CALICO_INVALID_HTTP', `${at}/methods`, 'methods is a list of HTTP methods');
  const paths: string[] = [];
  if (m.paths !== undefined && !Array.isArray(m.paths)) p.add('CALICO_INVALID_HTTP', `${at}/paths`, 'paths is a list of {exact} or {prefix} entries');
  arr(m.paths).forEach((e, i) => {
    const entry = obj(e);
    const pattern = entry ? httpPathPattern(entry) : undefined;
    if (pattern === undefined) p.add('CALICO_INVALID_HTTP', `${at}/paths/${i}`, 'each path entry holds exactly one of exact or prefix, a string');
    else paths.push(pattern);
  });
  (methods ?? []).forEach((x, i) => {
    if (typeof x !== 'string' || x === '') p.add('CALICO_INVALID_HTTP', `${at}/methods/${i}`, gotText(x));
  });
  if (direction === 'egress') {
    p.warn('CALICO_OUT_OF_SCOPE', at, 'HTTP match applies to ingress rules only (Calico application layer policy); the egress rule is read without it');
    return undefined;
  }
  p.warn('CALICO_HTTP_NEEDS_ALP', at);
  const dims: Partial<Record<'method' | 'path', Intervals>> = {};
  if (methods && methods.length > 0) dims.method = ivNormalize(methods.map((x) => METHODS.indexOf(String(x).toUpperCase() as (typeof METHODS)[number])).map((i): [number, number] => (i >= 0 ? [i, i] : [OTHER_METHOD, OTHER_METHOD])));
  if (paths.length > 0 && ctx.paths) dims.path = ivNormalize(paths.flatMap((x) => ctx.paths!.classesOf(x)).map((c): [number, number] => [c, c]));
  return ConnSet.cube(ctx.domain, { proto: [TCP, TCP], ...dims });
}

/**
 * Calico's ICMP type is 0-254 (ICMPFields.Type: "+kubebuilder:validation:Maximum=254", validate
 * lte=254; 255 is IANA-reserved and iptables' "any type"); the code is 0-255 and needs a type.
 */
const CALICO_ICMP_TYPES: [number, number] = [0, 254];

function icmpConns(rule: Record<string, unknown>, pointer: string, protocol: number, d: Domain, p: MeshProblems): ConnSet {
  const read = (key: 'icmp' | 'notICMP'): { type?: number; code?: number } | undefined => {
    const v = obj(rule[key]);
    if (!v) return undefined;
    const within = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
    const typeOk = within(v.type, CALICO_ICMP_TYPES[1]);
    const codeOk = within(v.code, 255);
    if ((v.type !== undefined && !typeOk) || (v.code !== undefined && !codeOk) || (v.code !== undefined && v.type === undefined)) p.add('CALICO_INVALID_ICMP', `${pointer}/${key}`);
    // Type 0 is Echo Reply and code 0 a code like any other (Calico's ICMPFields are *int: only absence means any).
    return { ...(typeOk ? { type: v.type as number } : {}), ...(codeOk ? { code: v.code as number } : {}) };
  };
  const icmp = read('icmp');
  const not = read('notICMP');
  const cube = (x: { type?: number; code?: number } | undefined): ConnSet =>
    ConnSet.cube(d, { proto: [protocol, protocol], ...(x?.type !== undefined ? { icmpType: [x.type, x.type] } : {}), ...(x?.type !== undefined && x.code !== undefined ? { icmpCode: [x.code, x.code] } : {}) });
  // notICMP alone matches every other type Calico can name, so its complement stays within 0-254.
  const matched = icmp ? cube(icmp) : not ? ConnSet.cube(d, { proto: [protocol, protocol], icmpType: CALICO_ICMP_TYPES }) : cube(undefined);
  return not ? matched.subtract(cube(not)) : matched;
}

/** A Kubernetes NetworkPolicy as an order-1000 allow-only policy of the Calico layer. */
function fromK8s(np: import('../model.js').NetworkPolicy, ctx: Ctx): LayerPolicy {
  const { topology, domain } = ctx;
  const selected = new Set(topologyIndex(topology).inNamespace(np.namespace).filter((ep) => ep.kind === 'pod' && np.podSelector.matches(ctx.labelsOf(ep))));
  const peerMatch = (rule: NetpolRule): PeerMatch => {
    if (!rule.peers) return { endpoints: topologyIndex(topology).all, ips: ctx.allIps };
    const endpoints = new Set<Endpoint>();
    const ips: IpSet[] = [];
    for (const peer of rule.peers) {
      if (peer.type === 'ipBlock') {
        ips.push(peer.ips);
        continue;
      }
      for (const ep of peer.namespaceSelector ? topology.endpoints : topologyIndex(topology).inNamespace(np.namespace)) {
        if (ep.kind !== 'pod' || ep.namespace === undefined) continue;
        const nsOk = peer.namespaceSelector ? peer.namespaceSelector.matches(topology.namespaces.get(ep.namespace)?.labels ?? {}) : ep.namespace === np.namespace;
        if (nsOk && (!peer.podSelector || peer.podSelector.matches(ctx.labelsOf(ep)))) endpoints.add(ep);
      }
    }
    return { endpoints, ips };
  };
  const connsOf = (ports: readonly RulePort[] | undefined) => (_s: Endpoint | undefined, t: Endpoint | undefined): ConnSet => {
    if (!ports) return ConnSet.all(domain);
    let out = ConnSet.empty(domain);
    for (const port of ports) {
      const proto = PROTOCOL_NUMBERS[port.protocol]!;
      let iv: Intervals;
      if ('named' in port) iv = ivNormalize((t?.ports ?? []).filter((x) => x.name === port.named && x.protocol === proto).map((x): [number, number] => [x.port, x.port]));
      else {
        iv = ivNormalize(port.ports.ranges.map((r): [number, number] => [r.lo, r.hi - 1]));
        const names = [...port.ports.named.keys()];
        if (names.length > 0) iv = ivNormalize([...pairs(iv), ...(t?.ports ?? []).filter((x) => names.includes(x.name) && x.protocol === proto).map((x): [number, number] => [x.port, x.port])]);
      }
      if (iv.length > 0) out = out.union(ConnSet.cube(domain, { proto: [proto, proto], dport: iv }));
    }
    return out;
  };
  const convert = (rules: readonly NetpolRule[] | undefined, direction: 'ingress' | 'egress'): LayerRule[] | undefined =>
    rules?.map((rule, i) => {
      const peers = peerMatch(rule);
      const self: PeerMatch = { endpoints: selected, ips: [] };
      return { action: 'Allow', src: direction === 'ingress' ? peers : self, dst: direction === 'ingress' ? self : peers, conns: connsOf(rule.ports), origin: { rule: `NetworkPolicy ${np.namespace}/${np.name} ${direction}[${i}]`, ...(rule.origin.location ? { location: rule.origin.location } : {}) } };
    });
  const ingress = convert(np.ingress, 'ingress');
  const egress = convert(np.egress, 'egress');
  return { kind: 'NetworkPolicy', name: `${np.namespace}/${np.name}`, order: 1000, selected, ...(ingress ? { ingress } : {}), ...(egress ? { egress } : {}), origin: { rule: `NetworkPolicy ${np.namespace}/${np.name}`, ...(np.origin.location ? { location: np.origin.location } : {}) } };
}

function pairs(flat: Intervals): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!]);
  return out;
}

export { DIM };
