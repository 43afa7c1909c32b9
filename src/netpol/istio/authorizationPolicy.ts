import type { PalisadeError } from '../../core/errors.js';
import { obj, strings } from '../layers/parsing.js';
import { gotText } from '../parse/common.js';
import type { Resource } from '../../core/load.js';
import { ConnSet, METHODS, TCP, ivNormalize, ivSubtract, type Domain, type Intervals } from '../layers/connSet.js';
import { effectiveLabels, intersectSets, topologyIndex, type Endpoint, type Topology } from '../layers/endpoints.js';
import { isPathTemplate, istioMatch, pathTemplateProblem, type StringClasses } from '../layers/l7Classes.js';
import { MeshProblems, type LayerOrigin, type PeerMatch } from '../layers/model.js';
import { IpSet, parseCidr } from '../sets/ipSet.js';

/**
 * security.istio.io AuthorizationPolicy (istio.io, "Authorization Policy" reference): DENY policies
 * are evaluated before ALLOW; a workload that some ALLOW policy selects accepts only what an ALLOW
 * rule matches; a rule is `from` (any source) AND `to` (any operation) AND every `when`. Rules
 * control TCP only (non-TCP traffic is not intercepted), and principals are resolved to pods through
 * their service accounts (`cluster.local/ns/<ns>/sa/<sa>`).
 */

export const ISTIO_SECURITY_APIS = new Set(['security.istio.io/v1', 'security.istio.io/v1beta1']);

/**
 * Root namespaces: a policy there applies to the whole mesh. `istio-system` is Istio's default
 * (meshConfig.rootNamespace); `istio-config` is the one IBM's network-config-analyzer assumes
 * (IstioGenericYamlParser.py), and the mesh corpus uses it.
 */
export const ISTIO_ROOT_NAMESPACES: readonly string[] = ['istio-system', 'istio-config'];

export type IstioAction = 'ALLOW' | 'DENY';

export interface IstioRule {
  src: PeerMatch;
  /** Sources this rule matches only through their mTLS identity (principals, namespaces): not on ports where mTLS is off. */
  identityOnly: ReadonlySet<Endpoint>;
  /**
   * Sources with a sidecar that a `notPrincipals`/`notNamespaces` entry excludes by their identity, which it
   * matches where mTLS is off (DISABLE): there the identity is empty, and no listed value is empty.
   */
  plaintextOnly: ReadonlySet<Endpoint>;
  conns: ConnSet;
  origin: LayerOrigin;
}

export interface IstioPolicy {
  name: string;
  action: IstioAction;
  selected: ReadonlySet<Endpoint>;
  rules: readonly IstioRule[];
  origin: LayerOrigin;
}

export function isAuthorizationPolicy(r: Resource): boolean {
  return r.object.kind === 'AuthorizationPolicy' && ISTIO_SECURITY_APIS.has(String(r.object.apiVersion));
}

/** Every path and host pattern the policies name, to build the string classes before parsing. */
export function l7Patterns(resources: readonly Resource[]): { paths: string[]; hosts: string[] } {
  const paths: string[] = [];
  const hosts: string[] = [];
  for (const r of resources) {
    if (!isAuthorizationPolicy(r)) continue;
    for (const rule of Array.isArray(obj(r.object.spec)?.rules) ? (obj(r.object.spec)!.rules as unknown[]) : []) {
      for (const to of Array.isArray(obj(rule)?.to) ? (obj(rule)!.to as unknown[]) : []) {
        const op = obj(obj(to)?.operation) ?? {};
        paths.push(...(strings(op.paths) ?? []), ...(strings(op.notPaths) ?? []));
        hosts.push(...(strings(op.hosts) ?? []), ...(strings(op.notHosts) ?? []));
      }
    }
  }
  return { paths, hosts };
}

interface Ctx {
  topology: Topology;
  domain: Domain;
  paths: StringClasses;
  hosts: StringClasses;
}

/** What parseSource reads besides the source: the policy's namespace names a bare `serviceAccounts` entry's. */
interface SourceCtx extends Ctx {
  policyNamespace: string;
}

const validPattern = (s: string): boolean => !s.includes('*') || (s.split('*').length === 2 && (s.startsWith('*') || s.endsWith('*')));

export function parseAuthorizationPolicies(resources: readonly Resource[], ctx: Ctx): { policies: IstioPolicy[]; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const policies: IstioPolicy[] = [];
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  for (const r of resources) {
    if (!isAuthorizationPolicy(r)) continue;
    const p = new MeshProblems(r);
    const policy = parseOne(r, ctx, p);
    errors.push(...p.errors);
    warnings.push(...p.warnings);
    if (policy && p.errors.length === 0) policies.push(policy);
  }
  return { policies, errors, warnings };
}

function parseOne(r: Resource, ctx: Ctx, p: MeshProblems): IstioPolicy | undefined {
  const md = obj(r.object.metadata) ?? {};
  const name = String(md.name ?? '');
  const namespace = typeof md.namespace === 'string' && md.namespace !== '' ? md.namespace : 'default';
  const full = `AuthorizationPolicy ${namespace}/${name}`;
  const spec = obj(r.object.spec) ?? {};
  const rawAction = spec.action ?? 'ALLOW';
  if (rawAction === 'CUSTOM' || rawAction === 'AUDIT') {
    // CUSTOM defers to an external authorizer and AUDIT only logs: neither decides offline.
    p.warn('ISTIO_OUT_OF_SCOPE', '/spec/action', `${String(rawAction)} policies are not evaluated`);
    return undefined;
  }
  if (rawAction !== 'ALLOW' && rawAction !== 'DENY') {
    p.add('ISTIO_INVALID_ACTION', '/spec/action', gotText(rawAction));
    return undefined;
  }
  const action: IstioAction = rawAction;
  const root = ISTIO_ROOT_NAMESPACES.includes(namespace);
  const index = topologyIndex(ctx.topology);
  let selected = root ? index.pods : index.inNamespace(namespace).filter((ep) => ep.kind === 'pod');
  const selector = obj(spec.selector);
  if (spec.selector !== undefined && spec.targetRefs !== undefined) p.add('ISTIO_CONFLICTING_FIELDS', '/spec/targetRefs', 'selector and targetRefs are mutually exclusive');
  if (selector && Object.keys(selector).length > 0) {
    const labels = obj(selector.matchLabels);
    if (!labels || Object.keys(labels).length === 0) p.add('ISTIO_INVALID_SELECTOR', '/spec/selector', 'matchLabels must name at least one label');
    else selected = selected.filter((ep) => Object.entries(labels).every(([k, v]) => effectiveLabels(ep)[k] === String(v)));
  }
  if (spec.targetRefs !== undefined || spec.targetRef !== undefined) p.warn('ISTIO_OUT_OF_SCOPE', spec.targetRefs !== undefined ? '/spec/targetRefs' : '/spec/targetRef', 'targetRefs (waypoints and gateways) are not modelled; the policy is not applied');
  if (spec.targetRefs !== undefined || spec.targetRef !== undefined) selected = [];
  const rulesRaw = Array.isArray(spec.rules) ? spec.rules : [];
  if (action === 'DENY' && rulesRaw.length === 0) p.add('ISTIO_DENY_WITHOUT_RULES', '/spec');
  const rules: IstioRule[] = [];
  rulesRaw.forEach((raw, i) => {
    const rule = parseRule(raw, `/spec/rules/${i}`, { ...ctx, policyNamespace: namespace }, p, `${full} rules[${i}]`);
    if (rule) rules.push(rule);
  });
  return { name: `${namespace}/${name}`, action, selected: new Set(selected), rules, origin: p.origin(full, '/metadata/name') };
}

function parseRule(raw: unknown, pointer: string, ctx: SourceCtx, p: MeshProblems, label: string): IstioRule | undefined {
  const rule = obj(raw);
  if (!rule) {
    p.add('MESH_NOT_AN_OBJECT', pointer, 'a rule');
    return undefined;
  }
  const d = ctx.domain;
  const allIps = [IpSet.all(4), IpSet.all(6)];
  // Sources: the union of the `from` entries; none means every source (one shared set, never changed).
  let src: { endpoints: ReadonlySet<Endpoint>; ips: IpSet[] } = { endpoints: topologyIndex(ctx.topology).podSet, ips: allIps };
  const identity = new Set<Endpoint>();
  const anonymous = new Set<Endpoint>();
  const plaintext = new Set<Endpoint>();
  const from = Array.isArray(rule.from) ? rule.from : undefined;
  if (from) {
    const union = new Set<Endpoint>();
    src = { endpoints: union, ips: [] };
    from.forEach((f, j) => {
      const source = obj(obj(f)?.source);
      if (!source) {
        p.add('MESH_NOT_AN_OBJECT', `${pointer}/from/${j}`, 'from entries need a source');
        return;
      }
      const one = parseSource(source, `${pointer}/from/${j}/source`, ctx, p);
      // Only a positive identity field (principals, namespaces, serviceAccounts) needs the certificate: a not* field alone also matches the empty identity of plaintext.
      const needsIdentity = POSITIVE_IDENTITY_FIELDS.some((k) => source[k] !== undefined);
      for (const ep of one.endpoints) {
        union.add(ep);
        (needsIdentity ? identity : anonymous).add(ep);
      }
      for (const ep of one.plaintextOnly ?? []) {
        union.add(ep);
        plaintext.add(ep);
      }
      src.ips.push(...one.ips);
    });
  }
  let whenNeedsIdentity = false;
  // Operations: the union of the `to` entries, TCP only; none means every connection.
  let conns = ConnSet.all(d);
  const to = Array.isArray(rule.to) ? rule.to : undefined;
  if (to) {
    conns = ConnSet.empty(d);
    to.forEach((t, j) => {
      const op = obj(obj(t)?.operation);
      if (!op) {
        p.add('MESH_NOT_AN_OBJECT', `${pointer}/to/${j}`, 'to entries need an operation');
        return;
      }
      conns = conns.union(parseOperation(op, `${pointer}/to/${j}/operation`, ctx, p));
    });
  }
  // Conditions: the static ones narrow sources and ports; the others cannot be decided offline.
  (Array.isArray(rule.when) ? rule.when : []).forEach((c, j) => {
    const cond = obj(c) ?? {};
    const at = `${pointer}/when/${j}`;
    const key = String(cond.key ?? '');
    const values = strings(cond.values);
    const notValues = strings(cond.notValues);
    if (!values && !notValues) {
      p.add('ISTIO_INVALID_CONDITION', at, 'values or notValues must be set');
      return;
    }
    if (!KNOWN_ATTRIBUTES.some((known) => (known.endsWith('.') || known.endsWith('[') ? key.startsWith(known) : key === known))) {
      // istiod rejects the policy (pilot/pkg/security/authz/model: "unknown attribute").
      p.add('ISTIO_INVALID_CONDITION', `${at}/key`, `unknown attribute ${JSON.stringify(key)}`);
      return;
    }
    const field = SOURCE_ATTRIBUTES[key];
    if (field) {
      const narrowed = parseSource({ ...(values ? { [field]: values } : {}), ...(notValues ? { [notOf(field)]: notValues } : {}) }, at, ctx, p);
      if (field !== 'ipBlocks') whenNeedsIdentity = true;
      src = { endpoints: intersectSets(src.endpoints, narrowed.endpoints), ips: src.ips.flatMap((a) => narrowed.ips.filter((b) => b.family === a.family).map((b) => a.intersect(b))) };
    } else if (key === 'destination.port') {
      conns = conns.intersect(ConnSet.cube(d, { proto: [TCP, TCP], dport: portsOf(values, notValues, at, p) }));
    } else p.warn('ISTIO_OUT_OF_SCOPE', at, `condition ${key} cannot be decided from manifests; the rule is read as if it held`);
  });
  // A source that one entry matches by identity (mTLS on) and another only in plaintext matches on every port.
  const identityOnly = whenNeedsIdentity ? new Set(src.endpoints) : new Set([...identity].filter((ep) => !anonymous.has(ep) && !plaintext.has(ep)));
  const plaintextOnly = whenNeedsIdentity ? new Set<Endpoint>() : new Set([...plaintext].filter((ep) => !anonymous.has(ep) && !identity.has(ep)));
  if (whenNeedsIdentity && plaintext.size > 0) src = { endpoints: new Set([...src.endpoints].filter((ep) => !plaintext.has(ep) || anonymous.has(ep) || identity.has(ep))), ips: src.ips };
  return { src, identityOnly, plaintextOnly, conns, origin: p.origin(label, pointer) };
}

/** A source field's negative form: `principals` -> `notPrincipals`. */
const notOf = (field: string): string => `not${field[0]!.toUpperCase()}${field.slice(1)}`;

/** Source fields that need the peer's mTLS certificate to match (their not* forms match plaintext: ISTIO-SECURITY-2021-004). */
const POSITIVE_IDENTITY_FIELDS = ['principals', 'namespaces', 'serviceAccounts', 'trustDomains'];

/** `when` keys that narrow the source as a `source` field does (istio.io, "Authorization Policy Conditions"). */
const SOURCE_ATTRIBUTES: Readonly<Record<string, string>> = {
  'source.ip': 'ipBlocks',
  'source.namespace': 'namespaces',
  'source.principal': 'principals',
  'source.serviceAccount': 'serviceAccounts',
};

/** Every `when` key istiod accepts; one ending in `[` or `.` is a family (`request.headers[X]`). */
const KNOWN_ATTRIBUTES: readonly string[] = [
  'request.headers[',
  'request.experimental.inline.headers[',
  'source.ip',
  'remote.ip',
  'source.namespace',
  'source.serviceAccount',
  'source.principal',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'request.auth.claims[',
  'destination.ip',
  'destination.port',
  'connection.sni',
  'experimental.envoy.filters.',
];

/** The trust domain of every principal palisade derives (`cluster.local/ns/<ns>/sa/<sa>`), Istio's default. */
const TRUST_DOMAIN = 'cluster.local';

function portsOf(values: string[] | undefined, notValues: string[] | undefined, at: string, p: MeshProblems): Intervals {
  const nums = (list: string[]): [number, number][] =>
    list.flatMap((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        p.add('ISTIO_INVALID_PORT', at, gotText(v));
        return [];
      }
      return [[n, n] as [number, number]];
    });
  let iv: Intervals = values ? ivNormalize(nums(values)) : [1, 65535];
  if (notValues) iv = ivSubtract(iv, ivNormalize(nums(notValues)));
  return iv;
}

/**
 * The sources one `source` entry matches. Identity fields read the peer's mTLS certificate; in plaintext
 * (a pod without a sidecar, an outside address) the identity is empty, which a positive field never matches
 * and a not* field alone always does (istio.io, ISTIO-SECURITY-2021-004: with `notNamespaces: ["foo"]`, "a
 * plain text request from the namespace foo will actually be allowed"). `plaintextOnly`: pods with a sidecar
 * that the not* fields exclude, matched where mTLS is off.
 */
function parseSource(source: Record<string, unknown>, at: string, ctx: SourceCtx, p: MeshProblems): { endpoints: ReadonlySet<Endpoint>; ips: IpSet[]; plaintextOnly?: ReadonlySet<Endpoint> } {
  const index = topologyIndex(ctx.topology);
  const pods = index.pods;
  const has = (k: string): boolean => source[k] !== undefined;
  const hasNs = has('namespaces') || has('notNamespaces');
  const hasIp = has('ipBlocks') || has('notIpBlocks');
  const hasPrincipals = has('principals') || has('notPrincipals');
  const hasServiceAccounts = has('serviceAccounts') || has('notServiceAccounts');
  const hasTrustDomains = has('trustDomains') || has('notTrustDomains');
  if (hasServiceAccounts && (hasNs || hasPrincipals)) {
    // The CRD's validation rule: "Cannot set serviceAccounts with namespaces or principals".
    p.add('ISTIO_CONFLICTING_FIELDS', at, 'serviceAccounts cannot be set with namespaces or principals');
    return { endpoints: new Set(), ips: [] };
  }
  for (const k of ['serviceAccounts', 'notServiceAccounts'])
    (strings(source[k]) ?? []).forEach((v, i) => {
      if (!validServiceAccount(v)) p.add('ISTIO_INVALID_SERVICE_ACCOUNT', `${at}/${k}/${i}`, gotText(v));
    });
  if (hasTrustDomains) p.warn('ISTIO_OUT_OF_SCOPE', `${at}/${has('trustDomains') ? 'trustDomains' : 'notTrustDomains'}`, `trust domains are matched against ${TRUST_DOMAIN}, the one palisade assumes for every pod`);
  const hasIdentity = hasNs || hasPrincipals || hasServiceAccounts || hasTrustDomains;
  for (const k of ['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks']) if (has(k)) p.warn('ISTIO_OUT_OF_SCOPE', `${at}/${k}`, `${k} depend on request credentials and client addresses; read as matching every source`);
  for (const k of ['principals', 'notPrincipals', 'namespaces', 'notNamespaces', 'trustDomains', 'notTrustDomains']) for (const v of strings(source[k]) ?? []) if (!validPattern(v)) p.add('ISTIO_INVALID_PATTERN', `${at}/${k}`, gotText(v));
  if (hasIp && hasIdentity) {
    // Pods have no addresses in manifests: a source that needs both an address and an identity matches no pod.
    p.warn('ISTIO_OUT_OF_SCOPE', at, 'ipBlocks together with an identity field (namespaces, principals, serviceAccounts, trustDomains): matches nothing here (pod addresses are unknown)');
    return { endpoints: new Set(), ips: [] };
  }
  if (hasIp) {
    const cidrs = (k: string): IpSet[] =>
      (strings(source[k]) ?? []).flatMap((c, i) => {
        const parsed = parseCidr(c.includes('/') ? c : c.includes(':') ? `${c}/128` : `${c}/32`);
        if (!parsed) {
          p.add('ISTIO_INVALID_CIDR', `${at}/${k}/${i}`, gotText(c));
          return [];
        }
        return [IpSet.range(parsed.family, parsed.first, parsed.last)];
      });
    const inc = has('ipBlocks') ? cidrs('ipBlocks') : [IpSet.all(4), IpSet.all(6)];
    const exc = cidrs('notIpBlocks');
    const ips = ([4, 6] as const).map((f) => exc.filter((e) => e.family === f).reduce((a, b) => a.subtract(b), inc.filter((x) => x.family === f).reduce((a, b) => a.union(b), IpSet.empty(f))));
    return { endpoints: new Set(), ips };
  }
  // Identity comes from the peer's mTLS certificate: pods without a sidecar have none.
  if (!hasIdentity) return { endpoints: index.podSet, ips: [IpSet.all(4), IpSet.all(6)] };
  let endpoints = identifiedPods(ctx.topology);
  /** Narrow `endpoints` to the pods `field` picks (every pod when only its not* form is set), less those its not* form picks. */
  const narrow = (field: string, matching: (list: string[]) => ReadonlySet<Endpoint>): void => {
    const notField = notOf(field);
    if (!has(field) && !has(notField)) return;
    let picked: ReadonlySet<Endpoint> = has(field) ? matching(strings(source[field]) ?? []) : index.podSet;
    const not = strings(source[notField]);
    if (not) {
      const n = matching(not);
      picked = new Set([...picked].filter((ep) => !n.has(ep)));
    }
    endpoints = intersectSets(endpoints, picked);
  };
  narrow('principals', (list) => {
    const byPrincipal = principals(ctx.topology);
    const out = new Set<Endpoint>();
    for (const pat of list) {
      // An exact principal is one lookup; a pattern is tried on each distinct principal.
      if (!pat.includes('*')) for (const ep of byPrincipal.get(pat) ?? []) out.add(ep);
      else for (const [name, eps] of byPrincipal) if (istioMatch(pat, name)) for (const ep of eps) out.add(ep);
    }
    return out;
  });
  narrow('namespaces', (list) => new Set(pods.filter((ep) => list.some((pat) => istioMatch(pat, ep.namespace ?? '')))));
  // pilot's serviceAccountRegex: `<ns>/<name>`, or `<name>` in the policy's namespace, matched on the certificate's ns and sa.
  narrow('serviceAccounts', (list) => {
    const keys = new Set(list.map((v) => (v.includes('/') ? v : `${ctx.policyNamespace}/${v}`)));
    return new Set(pods.filter((ep) => keys.has(`${ep.namespace}/${ep.serviceAccount}`)));
  });
  if (hasTrustDomains) {
    const inDomain = (list: string[] | undefined): boolean => (list ?? []).some((pat) => istioMatch(pat, TRUST_DOMAIN));
    if ((has('trustDomains') && !inDomain(strings(source.trustDomains))) || inDomain(strings(source.notTrustDomains))) endpoints = new Set();
  }
  const positive = POSITIVE_IDENTITY_FIELDS.some((k) => has(k));
  const emptyExcluded = ['notPrincipals', 'notNamespaces', 'notTrustDomains'].some((k) => (strings(source[k]) ?? []).some((pat) => istioMatch(pat, '')));
  if (positive || emptyExcluded) return { endpoints, ips: [] };
  const identifiedSet = identifiedPods(ctx.topology);
  const unidentified = pods.filter((ep) => !identifiedSet.has(ep));
  const plaintextOnly = new Set([...identifiedSet].filter((ep) => !endpoints.has(ep)));
  return { endpoints: new Set([...endpoints, ...unidentified]), ips: [IpSet.all(4), IpSet.all(6)], plaintextOnly };
}

/** `<namespace>/<name>` or `<name>`, each part a DNS-1123 name; "No form of wildcard (`*`) is allowed" (istio.io API). */
function validServiceAccount(v: string): boolean {
  const parts = v.split('/');
  return parts.length <= 2 && parts.every((part) => part.length <= 253 && /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(part));
}

const identified = new WeakMap<Topology, ReadonlySet<Endpoint>>();

/** The pods with a sidecar (an mTLS identity), one shared set per topology: callers must not change it. */
function identifiedPods(topology: Topology): ReadonlySet<Endpoint> {
  let hit = identified.get(topology);
  if (!hit) identified.set(topology, (hit = new Set(topologyIndex(topology).pods.filter((ep) => !ep.noSidecar))));
  return hit;
}

const principalIndexes = new WeakMap<Topology, Map<string, Endpoint[]>>();

/** Pods by their mTLS principal (`cluster.local/ns/<ns>/sa/<sa>`). */
function principals(topology: Topology): Map<string, Endpoint[]> {
  let hit = principalIndexes.get(topology);
  if (hit) return hit;
  hit = new Map();
  for (const ep of topologyIndex(topology).pods) {
    const name = `cluster.local/ns/${ep.namespace}/sa/${ep.serviceAccount}`;
    let list = hit.get(name);
    if (!list) hit.set(name, (list = []));
    list.push(ep);
  }
  principalIndexes.set(topology, hit);
  return hit;
}

function parseOperation(op: Record<string, unknown>, at: string, ctx: Ctx, p: MeshProblems): ConnSet {
  const d = ctx.domain;
  for (const k of ['paths', 'notPaths', 'hosts', 'notHosts', 'methods', 'notMethods'])
    for (const v of strings(op[k]) ?? []) {
      // Istio 1.22+ reads a path with {*} or {**} as an Envoy URI template (l7Classes.ts models the ones Istio and Envoy accept).
      if ((k === 'paths' || k === 'notPaths') && isPathTemplate(v)) {
        const problem = pathTemplateProblem(v);
        if (problem) p.add('ISTIO_PATH_TEMPLATE', `${at}/${k}`, `${JSON.stringify(v)}: ${problem}`);
      } else if (!validPattern(v)) p.add('ISTIO_INVALID_PATTERN', `${at}/${k}`, gotText(v));
    }
  const dims: Partial<Record<'proto' | 'dport' | 'method' | 'path' | 'host', Intervals>> = { proto: [TCP, TCP] };
  if (op.ports !== undefined || op.notPorts !== undefined) dims.dport = portsOf(strings(op.ports), strings(op.notPorts), `${at}/ports`, p);
  if (op.methods !== undefined || op.notMethods !== undefined) {
    const methodIds = (list: string[]): number[] => METHODS.flatMap((m, i) => (list.some((pat) => istioMatch(pat, m)) ? [i] : []));
    let iv: Intervals = op.methods !== undefined ? ivNormalize(methodIds(strings(op.methods) ?? []).map((i): [number, number] => [i, i])) : [0, d.max[5]!];
    if (op.notMethods !== undefined) iv = ivSubtract(iv, ivNormalize(methodIds(strings(op.notMethods) ?? []).map((i): [number, number] => [i, i])));
    dims.method = iv;
  }
  const classes = (sc: StringClasses, inc: string[] | undefined, exc: string[] | undefined): Intervals => {
    let iv: Intervals = inc ? ivNormalize(inc.flatMap((pat) => sc.classesOf(pat)).map((c): [number, number] => [c, c])) : [0, sc.size - 1];
    if (exc) iv = ivSubtract(iv, ivNormalize(exc.flatMap((pat) => sc.classesOf(pat)).map((c): [number, number] => [c, c])));
    return iv;
  };
  if (op.paths !== undefined || op.notPaths !== undefined) dims.path = classes(ctx.paths, strings(op.paths), strings(op.notPaths));
  if (op.hosts !== undefined || op.notHosts !== undefined) dims.host = classes(ctx.hosts, strings(op.hosts), strings(op.notHosts));
  return ConnSet.cube(d, dims);
}
