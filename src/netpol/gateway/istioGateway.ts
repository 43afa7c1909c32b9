import { arr, namespaceOf, obj, podsSelected, type LayerParseCtx } from '../layers/parsing.js';
import type { PalisadeError } from '../../core/errors.js';
import { loadText, type Resource } from '../../core/load.js';
import { ConnSet, METHODS, TCP, ivNormalize, ivSubtract, type Domain, type Intervals } from '../layers/connSet.js';
import { collectTopology, effectiveLabels, topologyIndex, type Endpoint } from '../layers/endpoints.js';
import { MeshProblems, type LayerOrigin } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import { compareConfigOrder, configOrder, type ConfigOrder } from '../istio/configOrder.js';
import { ISTIO_NETWORKING_APIS } from '../istio/sidecar.js';

/**
 * Istio ingress gateways: Gateway + VirtualService. The shape of the layer is IBM's network-config-analyzer's
 * (IstioGatewayYamlParser.py, IstioVirtualServiceYamlParser.py, IstioGatewayPolicyGenerator.py — the source
 * of the mesh corpus); which routes take which connections is istio's (resolveGatewayRoutes). A Gateway
 * selecting `istio: ingressgateway` pods exposes its servers' hosts; a VirtualService bound to it (its
 * `gateways`) routes the hosts both name to its destinations. The gateway pods then send TCP only along those
 * routes — to the destination Service's pods on its target port, for the matched hosts, URIs and
 * methods — and keep their non-TCP traffic (the proxy does not handle it). Mesh-internal routing
 * (`mesh`) does not restrict anything.
 *
 * Egress gateways (IstioGatewayPolicyGenerator.py, istio.io "Egress Gateways" task): a route of the
 * mesh (`gateways: [mesh]`, or no gateways) to a Service whose pods an egress Gateway selects, and a
 * route bound to that Gateway to a ServiceEntry host, make one flow. Then the egress gateway's pods
 * accept TCP only along the mesh routes (from any pod, on the Service's target port, for the routes'
 * SNI hosts / hosts, URIs and methods), send TCP only along the gateway routes (to the host, on the
 * destination port, for the hosts the Gateway, the VirtualService and the SNI match all name), and
 * no other pod reaches the host directly. A flow with one half missing is reported and ignored.
 */

export function isGateway(r: Resource): boolean {
  return r.object.kind === 'Gateway' && ISTIO_NETWORKING_APIS.has(String(r.object.apiVersion));
}

export function isVirtualService(r: Resource): boolean {
  return r.object.kind === 'VirtualService' && ISTIO_NETWORKING_APIS.has(String(r.object.apiVersion));
}

/** URI prefix `X` (NCA get_path_prefix_dfa: `X(/.*)?`), as path patterns; undefined = every path. */
function uriPrefixPatterns(prefix: string): string[] | undefined {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed === '' ? undefined : [trimmed, `${trimmed}/*`];
}

/** Every path and host pattern Gateways and VirtualServices name, to build the string classes first. */
export function gatewayL7Patterns(resources: readonly Resource[]): { paths: string[]; hosts: string[] } {
  const paths: string[] = [];
  const hosts: string[] = [];
  const host = (h: unknown): void => {
    if (typeof h === 'string' && h !== '*' && !h.includes('/')) hosts.push(h);
  };
  for (const r of resources) {
    const spec = obj(r.object.spec) ?? {};
    if (isGateway(r)) for (const s of arr(spec.servers)) arr(obj(s)?.hosts).forEach(host);
    if (!isVirtualService(r)) continue;
    arr(spec.hosts).forEach(host);
    for (const route of arr(spec.http)) {
      for (const m of arr(obj(route)?.match)) {
        const uri = obj(obj(m)?.uri);
        if (typeof uri?.exact === 'string') paths.push(uri.exact);
        if (typeof uri?.prefix === 'string') paths.push(...(uriPrefixPatterns(uri.prefix) ?? []));
      }
    }
    for (const route of arr(spec.tls)) for (const m of arr(obj(route)?.match)) arr(obj(m)?.sniHosts).forEach(host);
  }
  return { paths, hosts };
}

interface Rule {
  gatewayPods: ReadonlySet<Endpoint>;
  pods: readonly Endpoint[];
  /** A number, a container port name (resolved on the pod), or undefined: every port. */
  targetPort?: number | string;
  conns: ConnSet;
  origin: LayerOrigin;
  /** The source pods' namespaces the rule holds for (a mesh route seen from some namespaces only); undefined: every source. */
  sources?: ReadonlySet<string>;
}

/** The egress-gateway half of the mesh: what its pods accept, and which hosts only they may reach. */
export interface EgressFlows {
  /** Egress gateway pods some mesh route leads to (their inbound TCP is limited to those routes). */
  captured: ReadonlySet<Endpoint>;
  /** Mesh routes into the egress gateways: `pods` are the gateway pods, any pod is a source. */
  rules: readonly Rule[];
  /** ServiceEntry hosts reached through an egress gateway: the only pods that may reach each (its gateways'). */
  hostGateways: ReadonlyMap<Endpoint, { pods: ReadonlySet<Endpoint>; origin: LayerOrigin }>;
}

const NO_FLOWS: EgressFlows = { captured: new Set(), rules: [], hostGateways: new Map() };

export class IstioGatewayLayer {
  private readonly nonTcp: ConnSet;

  constructor(
    /** Pods of gateways that some route binds (their TCP is limited to the routes). */
    readonly captured: ReadonlySet<Endpoint>,
    readonly rules: readonly Rule[],
    readonly domain: Domain,
    readonly egressFlows: EgressFlows = NO_FLOWS,
  ) {
    this.nonTcp = ConnSet.cube(domain, { proto: ivSubtract([0, 255], [TCP, TCP]) });
  }

  /** Whether this layer limits what `src` sends to `dst` (a gateway's pods; any pod towards a host behind an egress gateway). */
  judgesEgress(src: Endpoint, dst: Endpoint | IpSet): boolean {
    return this.captured.has(src) || ('kind' in dst && this.egressFlows.hostGateways.has(dst));
  }

  /** `denied`: the egress-flow rule that keeps a non-gateway pod from the host. */
  egress(src: Endpoint, dst: Endpoint | IpSet): { allowed: ConnSet; rules: Rule[]; denied?: LayerOrigin } {
    const behind = 'kind' in dst ? this.egressFlows.hostGateways.get(dst) : undefined;
    if (behind && !behind.pods.has(src)) return { allowed: ConnSet.empty(this.domain), rules: [], denied: behind.origin };
    if (!this.captured.has(src)) return { allowed: ConnSet.all(this.domain), rules: [] };
    const toDns = 'kind' in dst && dst.kind === 'dns';
    let allowed = toDns ? ConnSet.empty(this.domain) : this.nonTcp;
    const used: Rule[] = [];
    if (!('kind' in dst)) return { allowed, rules: used };
    for (const rule of this.rules) {
      if (!rule.gatewayPods.has(src) || !rule.pods.includes(dst)) continue;
      const c = restrictToPort(rule, dst, this.domain);
      if (!c || c.isEmpty()) continue;
      allowed = allowed.union(c);
      used.push(rule);
    }
    return { allowed, rules: used };
  }

  /** What an egress gateway's pod accepts from `src`: non-TCP, and TCP from pods along the mesh routes to it. */
  ingress(dst: Endpoint, src: Endpoint | IpSet): { allowed: ConnSet; rules: Rule[] } {
    if (!this.egressFlows.captured.has(dst)) return { allowed: ConnSet.all(this.domain), rules: [] };
    let allowed = this.nonTcp;
    const used: Rule[] = [];
    if (!('kind' in src) || src.kind === 'dns') return { allowed, rules: used };
    for (const rule of this.egressFlows.rules) {
      if (!rule.pods.includes(dst) || (rule.sources && !rule.sources.has(src.namespace ?? ''))) continue;
      const c = restrictToPort(rule, dst, this.domain);
      if (!c || c.isEmpty()) continue;
      allowed = allowed.union(c);
      used.push(rule);
    }
    return { allowed, rules: used };
  }
}

/** A rule's connections on its target port as `dst` resolves it (undefined: a port name `dst` lacks). */
function restrictToPort(rule: Rule, dst: Endpoint, domain: Domain): ConnSet | undefined {
  const port = typeof rule.targetPort === 'string' ? dst.ports.find((p) => p.name === rule.targetPort && p.protocol === TCP)?.port : rule.targetPort;
  if (typeof rule.targetPort === 'string' && port === undefined) return undefined;
  return port === undefined ? rule.conns : rule.conns.intersect(ConnSet.cube(domain, { dport: [port, port] }));
}

interface Ctx extends LayerParseCtx {
  /** ServiceEntry hosts (destinations by name). */
  dnsEntries: readonly Endpoint[];
}

/** One server of a Gateway, as istio reads it when it merges a gateway proxy's servers. */
interface ServerInfo {
  gateway: string;
  /** The server's place in its Gateway (for warnings). */
  index: number;
  resource: Resource;
  /** The port number (0 when absent) and protocol (upper case, as istio's protocol.Parse ignores case). */
  port: number;
  protocol: string;
  /** `tls` of the server: its mode (SIMPLE when absent) and httpsRedirect; undefined without `tls`. */
  tls?: { mode: string; httpsRedirect: boolean };
  /** The host names, lower-cased (`ns/host` ones are dropped, warned), and their classes. */
  names: string[];
  hosts: Set<number>;
  /** A server istio's validation refuses, read as network-config-analyzer reads it: every route kind applies, unmerged. */
  invalid?: true;
}

interface GatewayInfo {
  key: string;
  pods: Set<Endpoint>;
  /** Each server in the Gateway's order. */
  servers: ServerInfo[];
  type: 'ingress' | 'egress';
  /** istio's Gateway order (initGateways sortConfigByCreationTime). */
  order: ConfigOrder;
}

/** What istio needs of a VirtualService bound to a Gateway: where it lives, who sees it, its hosts. */
interface VsInfo {
  namespace: string;
  name: string;
  /** istio's VirtualService order. */
  order: ConfigOrder;
  /** The Gateways of its own `gateways` field, as `namespace/name`. */
  gateways: ReadonlySet<string>;
  /** Whether it is bound to the mesh (`gateways` empty or naming `mesh`): the sidecars route by it. */
  mesh: boolean;
  /** `exportTo` with `.` read as the VirtualService's namespace; undefined: the mesh default, every namespace (`*`). */
  exportTo?: ReadonlySet<string>;
  names: string[];
  hosts: ReadonlySet<number>;
}

/** One http route of a VirtualService: its match items (none: it matches every request) and destinations. */
interface HttpRoute {
  vs: VsInfo;
  index: number;
  /** Per match item: the requests it names, whether it names them surely, its `port` (0: any) and `gateways`. */
  items: { dims: { path?: Intervals; method?: Intervals }; sure: boolean; port: number; gateways: string[]; mesh: boolean }[];
  destinations: { pods: Endpoint[]; targetPort?: number | string; dns?: true }[];
  origin: (gateway: string) => LayerOrigin;
  resource: Resource;
  at: string;
}

/** One tcp or tls route of a VirtualService bound to a Gateway, before istio picks the routes that take traffic. */
interface L4Route {
  kind: 'tcp' | 'tls';
  vs: VsInfo;
  /** The route's place among its VirtualService's routes of the same kind. */
  index: number;
  /** The match items: port (0 = any), gateways (empty = any), SNI hosts (tls), lower-cased. */
  items: { port: number; gateways: string[]; sniHosts: string[] }[];
  /** Whether the route names a destination at all (istio skips one that does not). */
  hasRoute: boolean;
  destinations: { pods: Endpoint[]; targetPort?: number | string; dns?: true }[];
  origin: (gateway: string) => LayerOrigin;
  resource: Resource;
  at: string;
}

/**
 * Whether, and in which group, a gateway proxy in `proxyNamespace` sees a VirtualService
 * (istio/istio pilot/pkg/model/push_context.go initVirtualServices and VirtualServicesForGateway, master 86c9f01):
 * 0 when its `exportTo` names the proxy's namespace and it lives there ("private"), 1 when it names the
 * proxy's namespace from elsewhere ("exported"), 2 when it is public (`*`, or no `exportTo`: the mesh default,
 * `*` unless MeshConfig defaultVirtualServiceExportTo says otherwise); undefined when hidden (`~`, or another
 * namespace only). The proxy takes the groups in that order, each in creation-time order.
 */
export function vsVisibility(vs: { namespace: string; exportTo?: ReadonlySet<string> }, proxyNamespace: string): 0 | 1 | 2 | undefined {
  const e = vs.exportTo;
  if (!e || e.has('*')) return 2;
  if (e.has('~') || !e.has(proxyNamespace)) return undefined;
  return vs.namespace === proxyNamespace ? 0 : 1;
}

/** istio's protocol.Instance.IsHTTP (pkg/config/protocol/instance.go): HTTP, HTTP2, HTTP_PROXY, GRPC, GRPC-Web. */
const isHttpProtocol = (protocol: string): boolean => ['HTTP', 'HTTP2', 'HTTP_PROXY', 'GRPC', 'GRPC-WEB'].includes(protocol);
const isPassthrough = (s: ServerInfo): boolean => s.tls !== undefined && (s.tls.mode === 'PASSTHROUGH' || s.tls.mode === 'AUTO_PASSTHROUGH');
/** pkg/config/gateway/gateway.go IsTLSServer: `tls` set on a non-HTTP protocol. */
const isTlsServer = (s: ServerInfo): boolean => s.tls !== undefined && !isHttpProtocol(s.protocol);

/** Which routes serve a server's connections: http (one route table per port), https (its own), tcp, tls (SNI), or none modelled. */
export type ServerKind = 'http' | 'https' | 'tcp' | 'tls' | 'auto-passthrough' | 'any';

/**
 * A gateway proxy's servers as istio merges them (pilot/pkg/model/gateway.go mergeGateways, master 86c9f01),
 * for servers without `bind`: the Gateways selecting the proxy in creation-time order, their servers in order.
 * - A server with `tls` whose hosts repeat one of an earlier `tls` server's hosts on the port is skipped
 *   (CheckDuplicates: Envoy refuses two filter chains with the same SNI).
 * - On a port whose first kept server is plaintext, a later server is merged when both protocols are HTTP
 *   ones (canMergeProtocols), and skipped otherwise ("conflict with existing server").
 * - On a port whose servers so far use TLS, a plaintext server starts the port's plaintext group and a TLS
 *   server joins the group of its protocol (filter chains told apart by SNI).
 * Then (core/gateway.go buildGatewayTCPBasedFilterChains, createGatewayTCPFilterChainOpts): a group of an HTTP
 * protocol is one HTTP route table for the port (`http`); otherwise an HTTPS server terminating TLS has its
 * own route table (`https`), a server without `tls` or terminating it (SIMPLE, MUTUAL, ISTIO_MUTUAL…) forwards
 * along tcp routes (`tcp`), a PASSTHROUGH one along tls routes by SNI (`tls`), and AUTO_PASSTHROUGH routes by
 * SNI to any service, which is not modelled.
 */
export function mergeGatewayServers(ordered: readonly { servers: readonly ServerInfo[] }[]): {
  groups: { port: number; protocol: string; servers: { server: ServerInfo; kind: ServerKind }[] }[];
  skipped: { server: ServerInfo; why: string }[];
} {
  interface Group {
    port: number;
    protocol: string;
    servers: ServerInfo[];
  }
  const groups: Group[] = [];
  const skipped: { server: ServerInfo; why: string }[] = [];
  const ports = new Set<number>();
  const plaintext = new Map<number, Group>();
  const tlsHosts = new Map<number, Set<string>>();
  const byKey = new Map<string, Group>();
  const newGroup = (s: ServerInfo): Group => {
    const g = { port: s.port, protocol: s.protocol, servers: [s] };
    const old = byKey.get(`${s.port}/${s.protocol}`);
    if (old) groups.splice(groups.indexOf(old), 1);
    byKey.set(`${s.port}/${s.protocol}`, g);
    groups.push(g);
    return g;
  };
  const invalid: Group[] = [];
  for (const gw of ordered) {
    for (const s of gw.servers) {
      if (s.port === 0) continue;
      if (s.invalid) {
        invalid.push({ port: s.port, protocol: s.protocol, servers: [s] });
        continue;
      }
      if (s.tls) {
        const known = tlsHosts.get(s.port) ?? new Set<string>();
        const dup = s.names.filter((h) => known.has(h));
        if (dup.length > 0) {
          skipped.push({ server: s, why: `its hosts ${dup.join(', ')} are already a TLS server's on port ${s.port} (istio skips the server)` });
          continue;
        }
        for (const h of s.names) known.add(h);
        tlsHosts.set(s.port, known);
      }
      if (!ports.has(s.port)) {
        ports.add(s.port);
        const g = newGroup(s);
        if (!isTlsServer(s)) plaintext.set(s.port, g);
        continue;
      }
      const current = plaintext.get(s.port);
      if (current) {
        if (!(isHttpProtocol(s.protocol) && (isHttpProtocol(current.protocol) || current.protocol === s.protocol))) {
          skipped.push({ server: s, why: `it conflicts with the ${current.protocol} server on port ${s.port}; istio merges only HTTP servers with a plaintext one (the server is skipped)` });
          continue;
        }
        current.servers.push(s);
        continue;
      }
      if (!isTlsServer(s)) {
        plaintext.set(s.port, newGroup(s));
        continue;
      }
      const g = byKey.get(`${s.port}/${s.protocol}`);
      if (g) g.servers.push(s);
      else newGroup(s);
    }
  }
  const kindOf = (g: Group, s: ServerInfo): ServerKind => {
    if (s.invalid) return 'any';
    if (isHttpProtocol(g.protocol)) return 'http';
    if (s.tls && s.protocol === 'HTTPS' && !isPassthrough(s)) return 'https';
    if (!s.tls || !isPassthrough(s)) return 'tcp';
    return s.tls.mode === 'PASSTHROUGH' ? 'tls' : 'auto-passthrough';
  };
  return { groups: [...groups, ...invalid].map((g) => ({ port: g.port, protocol: g.protocol, servers: g.servers.map((server) => ({ server, kind: kindOf(g, server) })) })), skipped };
}

/**
 * istio's host.Names Intersection (pkg/config/host/names.go): for each pair of hosts where one is a subset of
 * the other (`*.a.com` holds `b.a.com` and `*.b.a.com`; `*` holds all), the narrower one, each once.
 */
export function intersectHosts(a: readonly string[], b: readonly string[]): string[] {
  const wild = (h: string): boolean => h.startsWith('*');
  const subsetOf = (n: string, o: string): boolean => {
    if (wild(n)) return wild(o) && n.length >= o.length && n.slice(1).endsWith(o.slice(1));
    return wild(o) ? n.endsWith(o.slice(1)) : n === o;
  };
  const out: string[] = [];
  for (const x of a) {
    for (const y of b) {
      const h = subsetOf(x, y) ? x : subsetOf(y, x) ? y : undefined;
      if (h !== undefined && !out.includes(h)) out.push(h);
    }
  }
  return out;
}

/**
 * istio's l4SingleMatch at a gateway: only `port` (against the server's port) and `gateways` are read;
 * sourceLabels, sourceNamespace and destinationSubnets are not (istio/istio pilot/pkg/networking/core/gateway.go,
 * l4SingleMatch / isPortMatch / isGatewayMatch, master 86c9f01, 1.31.0-alpha).
 */
const l4ItemMatches = (item: L4Route['items'][number], serverPort: number, gateway: string): boolean =>
  (item.port === 0 || item.port === serverPort) && (item.gateways.length === 0 || item.gateways.includes(gateway));

/**
 * Envoy's filter chain choice by SNI (envoy source/common/listener_manager/filter_chain_manager_impl.cc,
 * findFilterChainForServerName): the chain naming the server name exactly, else the one naming the longest
 * `*.suffix` it ends with, else the chain without server names (istio drops the server names of a chain
 * whose sniHosts hold `*`: listener.go toFilterChainMatch, istio master 86c9f01).
 */
export function envoySniChoice(chains: readonly (readonly string[])[], serverName: string): number | undefined {
  const exact = chains.findIndex((c) => c.includes(serverName));
  if (exact >= 0) return exact;
  let best: number | undefined;
  let bestLength = -1;
  // `*.x` stands for the names ending in `.x` (Envoy also wants a non-empty label before it, which every
  // real SNI has; a class witness may be `.x` itself, and must get the choice of its whole class).
  chains.forEach((c, i) => {
    for (const h of c) {
      if (h.startsWith('*.') && serverName.endsWith(h.slice(1)) && h.length > bestLength) {
        best = i;
        bestLength = h.length;
      }
    }
  });
  if (best !== undefined) return best;
  const any = chains.findIndex((c) => c.includes('*'));
  return any >= 0 ? any : undefined;
}

export function parseIstioGateways(resources: readonly Resource[], ctx: Ctx): { layer: IstioGatewayLayer; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const errors: PalisadeError[] = [];
  const warnings: PalisadeError[] = [];
  const d = ctx.domain;
  const allHosts = new Set(ctx.hosts.witnesses.map((_, i) => i));
  const nsOf = (r: Resource): string => namespaceOf(r, ctx.defaultNamespace);
  /** A host value: `*` every host, else its classes; `ns/host` is not supported (NCA), undefined. */
  const hostClasses = (h: string, p: MeshProblems, at: string): Set<number> | undefined => {
    if (h.includes('/')) {
      p.warn('MESH_OUT_OF_SCOPE', at, `host ${JSON.stringify(h)}: the namespace/host form is not modelled; the host is ignored`);
      return undefined;
    }
    return h === '*' ? new Set(allHosts) : new Set(ctx.hosts.classesOf(h));
  };
  const services = new Map<string, { pods: Endpoint[]; ports: { port: number; targetPort: number | string }[] }>();
  for (const r of resources) {
    if (r.object.kind !== 'Service' || r.object.apiVersion !== 'v1') continue;
    const namespace = nsOf(r);
    const spec = obj(r.object.spec) ?? {};
    const selector = obj(spec.selector);
    const selected = selector ? podsSelected(ctx.topology, namespace, selector) : [];
    const ports = arr(spec.ports).flatMap((raw) => {
      const x = obj(raw);
      if (!x || typeof x.port !== 'number') return [];
      const t = typeof x.targetPort === 'number' || typeof x.targetPort === 'string' ? x.targetPort : x.port;
      return [{ port: x.port, targetPort: typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : t }];
    });
    services.set(`${namespace}/${String(obj(r.object.metadata)?.name ?? '')}`, { pods: selected, ports });
  }

  const gateways = new Map<string, GatewayInfo>();
  for (const r of resources) {
    if (!isGateway(r)) continue;
    const p = new MeshProblems(r);
    const spec = obj(r.object.spec) ?? {};
    const selector = obj(spec.selector) ?? {};
    const istio = selector.istio;
    const type = istio === 'ingressgateway' ? 'ingress' : istio === 'egressgateway' ? 'egress' : undefined;
    const selected = topologyIndex(ctx.topology).pods.filter((ep) => Object.entries(selector).every(([k, v]) => effectiveLabels(ep)[k] === String(v)));
    if (!type) p.warn('MESH_OUT_OF_SCOPE', '/spec/selector', 'only the standard gateways (selector istio: ingressgateway or egressgateway) are modelled; the Gateway is ignored');
    else if (selected.length === 0) p.warn('ISTIO_GATEWAY_NO_PODS', '/spec/selector');
    const key = `${nsOf(r)}/${String(obj(r.object.metadata)?.name ?? '')}`;
    const servers: ServerInfo[] = [];
    arr(spec.servers).forEach((raw, i) => {
      const s = obj(raw) ?? {};
      const list = arr(s.hosts);
      if (list.length === 0) p.add('ISTIO_INVALID_HOST', `/spec/servers/${i}/hosts`, 'a server needs at least one host');
      const own = new Set<number>();
      const names: string[] = [];
      list.forEach((h, j) => {
        const classes = hostClasses(String(h), p, `/spec/servers/${i}/hosts/${j}`);
        if (!classes) return;
        names.push(String(h).toLowerCase());
        for (const c of classes) own.add(c);
      });
      const port = obj(s.port) ?? {};
      const tls = obj(s.tls);
      // istio's validation (pkg/config/validation/validation.go validateServer, master 86c9f01) refuses these
      // servers. network-config-analyzer's examples hold them, so they are read its way (every route kind), warned.
      const protocol = typeof port.protocol === 'string' ? port.protocol.toUpperCase() : '';
      let invalid: string | undefined;
      if ((protocol === 'HTTPS' || protocol === 'TLS') && !tls) invalid = 'server must have TLS settings for HTTPS/TLS protocols';
      else if (tls && protocol !== 'HTTPS' && protocol !== 'TLS' && !isHttpProtocol(protocol)) invalid = 'server cannot have TLS settings for non HTTPS/TLS ports';
      else if (tls && isHttpProtocol(protocol) && ((tls.mode !== undefined && tls.mode !== 'PASSTHROUGH' && tls.mode !== 'AUTO_PASSTHROUGH') || tls.caCertificates || tls.privateKey || tls.serverCertificate)) invalid = 'server cannot have TLS settings for plain text HTTP ports';
      if (invalid) p.warn('ISTIO_GATEWAY_SERVER_INVALID', `/spec/servers/${i}`, `"${invalid}" (istio's validation): read as network-config-analyzer reads it, its http, tcp and tls routes all apply`);
      if (s.bind !== undefined) p.warn('MESH_OUT_OF_SCOPE', `/spec/servers/${i}/bind`, 'bind is not modelled: the server is read as listening on every address');
      if (tls?.mode === 'AUTO_PASSTHROUGH') p.warn('MESH_OUT_OF_SCOPE', `/spec/servers/${i}/tls/mode`, 'AUTO_PASSTHROUGH routes by SNI to any service of the mesh; not modelled, the server routes nothing');
      servers.push({
        gateway: key,
        index: i,
        resource: r,
        port: typeof port.number === 'number' ? port.number : 0,
        protocol,
        // TLSmode PASSTHROUGH is 0, the mode of a `tls` that names none (networking/v1alpha3/gateway.proto).
        ...(tls ? { tls: { mode: typeof tls.mode === 'string' ? tls.mode : 'PASSTHROUGH', httpsRedirect: tls.httpsRedirect === true } } : {}),
        names,
        hosts: own,
        ...(invalid ? { invalid: true } : {}),
      });
    });
    errors.push(...p.errors);
    warnings.push(...p.warnings);
    const order = configOrder(r, String(obj(r.object.metadata)?.name ?? ''), nsOf(r));
    if (type && selected.length > 0 && p.errors.length === 0) gateways.set(key, { key, pods: new Set(selected), servers, type, order });
  }

  const rules: Rule[] = [];
  const captured = new Set<Endpoint>();
  const egressGatewayPods = new Set([...gateways.values()].filter((g) => g.type === 'egress').flatMap((g) => [...g.pods]));
  /** A Service a local destination host names (`name` in the VirtualService's namespace, or its FQDN). */
  const serviceKey = (host: string, namespace: string): string | undefined => {
    const parts = host.split('.');
    const local = !host.includes('*') && (parts.length === 1 || (parts.length === 5 && parts[2] === 'svc' && parts[3] === 'cluster' && parts[4] === 'local'));
    return local ? (parts.length === 5 ? `${parts[1]}/${parts[0]}` : `${namespace}/${host}`) : undefined;
  };
  const leadsToEgressGateway = (route: Record<string, unknown>, namespace: string): boolean =>
    arr(route.route).some((dRaw) => {
      const key = serviceKey(String(obj(obj(dRaw)?.destination)?.host ?? ''), namespace);
      return key !== undefined && (services.get(key)?.pods ?? []).some((ep) => egressGatewayPods.has(ep));
    });
  // The two halves of egress-gateway flows, applied only together (NCA: "only if we have both parts of egress flow").
  const meshToGateway: Rule[] = [];
  const gatewayToHost: Rule[] = [];
  const hostGateways = new Map<Endpoint, { pods: Set<Endpoint>; origin: LayerOrigin }>();
  let halfFlow: { resource: Resource; at: string } | undefined;
  const l4Routes: L4Route[] = [];
  const httpRoutes: HttpRoute[] = [];
  const meshRoutes: MeshRoute[] = [];
  /** A route bound to a gateway takes `conns` of what the gateway's pods (`pods`) send to its destinations. */
  const bindRoute: Bind = (pods, type, destinations, conns, origin, r, at) => {
    const port = (dest: L4Route['destinations'][number]): { targetPort?: number | string } => (dest.targetPort !== undefined ? { targetPort: dest.targetPort } : {});
    if (type === 'ingress') {
      for (const ep of pods) captured.add(ep);
      for (const dest of destinations) rules.push({ gatewayPods: pods, pods: dest.pods, ...port(dest), conns, origin });
      return;
    }
    halfFlow ??= { resource: r, at };
    for (const dest of destinations) {
      gatewayToHost.push({ gatewayPods: pods, pods: dest.pods, ...port(dest), conns, origin });
      if (!dest.dns) continue;
      for (const host of dest.pods) {
        const entry = hostGateways.get(host) ?? { pods: new Set<Endpoint>(), origin };
        for (const ep of pods) entry.pods.add(ep);
        hostGateways.set(host, entry);
      }
    }
  };
  for (const r of resources) {
    if (!isVirtualService(r)) continue;
    const p = new MeshProblems(r);
    const namespace = nsOf(r);
    const name = String(obj(r.object.metadata)?.name ?? '');
    const spec = obj(r.object.spec) ?? {};
    const vsHosts = new Set<number>();
    arr(spec.hosts).forEach((h, j) => {
      for (const c of hostClasses(String(h), p, `/spec/hosts/${j}`) ?? []) vsHosts.add(c);
    });
    const gatewayRef = (g: string): string => (g.includes('/') ? g : `${namespace}/${g}`);
    const globalGateways = arr(spec.gateways).map(String);
    const vs: VsInfo = {
      namespace,
      name,
      order: configOrder(r, name, namespace),
      gateways: new Set(globalGateways.filter((g) => g !== 'mesh').map(gatewayRef)),
      ...(spec.exportTo !== undefined ? { exportTo: readExportTo(spec.exportTo, namespace, p) } : {}),
      names: arr(spec.hosts).flatMap((h) => (String(h).includes('/') ? [] : [String(h).toLowerCase()])),
      hosts: vsHosts,
      mesh: globalGateways.length === 0 || globalGateways.includes('mesh'),
    };
    const vsToEgress = vs.mesh && egressGatewayPods.size > 0 && (['http', 'tls', 'tcp'] as const).some((k) => arr(spec[k]).some((raw) => leadsToEgressGateway(obj(raw) ?? {}, namespace)));
    for (const kind of ['http', 'tls', 'tcp'] as const) {
      arr(spec[kind]).forEach((raw, i) => {
        const route = obj(raw) ?? {};
        const at = `/spec/${kind}/${i}`;
        const matches = arr(route.match).map((m) => obj(m) ?? {});
        const routeGateways = matches.flatMap((m) => arr(m.gateways).map(String));
        // istio binds a VirtualService to the gateways of its own `gateways` only (push_context.go getGatewayNames,
        // istio master 86c9f01); a tcp or tls match item's `gateways` then narrows where the item matches.
        const bound = globalGateways.filter((g) => g !== 'mesh');
        // A route without gateways is the mesh's; the mesh's routes matter here only on their way to an egress gateway.
        // With egress gateways in the input every route of the mesh counts: the first VirtualService naming a host
        // takes the host from later ones (resolveMeshRoutes), whether or not it leads to the egress gateway.
        const meshRoute = vs.mesh && egressGatewayPods.size > 0 && (routeGateways.length === 0 || routeGateways.includes('mesh'));
        const toEgressGateway = meshRoute && leadsToEgressGateway(route, namespace);
        if (bound.length === 0 && !meshRoute) return;
        // A mesh-only VirtualService that leads no route to an egress gateway matters only by the hosts it takes:
        // what it does not model is not worth a warning, and its destinations are not read.
        const q = bound.length === 0 && !vsToEgress ? new MeshProblems(r) : p;
        // Request attributes, one set per match item: "All conditions inside a single match block have
        // AND semantics, while the list of match blocks have OR semantics" (istio.io, HTTPMatchRequest).
        // `sure`: the item has no condition read as matching (headers, regex URIs…), so the requests it
        // names are surely the route's, and later routes do not get them.
        const items: HttpRoute['items'] = [];
        let sni: Set<number> | undefined;
        if (kind === 'http' && matches.length > 0) {
          matches.forEach((m, j) => {
            const dims: { path?: Intervals; method?: Intervals } = {};
            let sure = true;
            const uri = obj(m.uri);
            const uris = new Set<number>();
            if (uri) {
              if (typeof uri.exact === 'string') for (const c of ctx.paths.classesOf(uri.exact)) uris.add(c);
              else if (typeof uri.prefix === 'string') {
                const pats = uriPrefixPatterns(uri.prefix);
                for (const c of pats ? pats.flatMap((x) => ctx.paths.classesOf(x)) : ctx.paths.witnesses.map((_, k) => k)) uris.add(c);
              } else {
                q.warn('MESH_OUT_OF_SCOPE', `${at}/match/${j}/uri`, 'regex URIs are not modelled: read as every path');
                sure = false;
                for (let k = 0; k < ctx.paths.size; k++) uris.add(k);
              }
              dims.path = ivNormalize([...uris].map((c): [number, number] => [c, c]));
            }
            const method = obj(m.method);
            if (method) {
              const v = String(method.exact ?? method.prefix ?? method.regex ?? '');
              // Istio refuses a VirtualService whose regex does not compile (validation.go validateStringMatchRegexp).
              let regex: RegExp | undefined;
              if (method.exact === undefined && method.prefix === undefined) {
                try {
                  regex = new RegExp(`^(?:${v})$`);
                } catch {
                  q.add('ISTIO_INVALID_FIELD', `${at}/match/${j}/method/regex`, `${JSON.stringify(v)} is not a valid regular expression`);
                }
              }
              const hit = (x: string): boolean => (method.exact !== undefined ? x === v : method.prefix !== undefined ? x.startsWith(v) : regex !== undefined && regex.test(x));
              const methods = METHODS.flatMap((x, k) => (hit(x) ? [k] : []));
              dims.method = ivNormalize(methods.map((c): [number, number] => [c, c]));
            }
            // A match's port is the gateway server's port (route.go TranslateRoute: "Match by the destination
            // port"), modelled at gateways; on the mesh's routes to an egress gateway it is read as matching.
            for (const k of ['headers', 'queryParams', 'scheme', 'authority', ...(toEgressGateway ? ['port'] : []), 'sourceLabels', 'sourceNamespace', 'withoutHeaders']) {
              if (m[k] === undefined) continue;
              q.warn('MESH_OUT_OF_SCOPE', `${at}/match/${j}/${k}`, `${k} is not modelled: read as matching`);
              sure = false;
            }
            const itemGateways = arr(m.gateways).map(String);
            items.push({ dims, sure, port: typeof m.port === 'number' ? m.port : 0, gateways: itemGateways.map(gatewayRef), mesh: vs.mesh && (itemGateways.length === 0 || itemGateways.includes('mesh')) });
          });
        }
        if (kind === 'tls') {
          if (matches.length === 0) return;
          sni = new Set();
          matches.forEach((m, j) =>
            arr(m.sniHosts).forEach((h, k) => {
              for (const c of hostClasses(String(h), p, `${at}/match/${j}/sniHosts/${k}`) ?? []) sni!.add(c);
            }),
          );
          if ([...sni].some((c) => !vsHosts.has(c))) {
            q.warn('MESH_OUT_OF_SCOPE', `${at}/match`, 'sniHosts are not a subset of hosts: the route is ignored');
            return;
          }
        }
        // Destinations: Services by short name or FQDN (their pods, the target port).
        const destinations: { pods: Endpoint[]; targetPort?: number | string; dns?: true }[] = [];
        arr(route.route).forEach((dRaw, j) => {
          const dest = obj(obj(dRaw)?.destination) ?? {};
          const host = String(dest.host ?? '');
          const parts = host.split('.');
          const local = !host.includes('*') && (parts.length === 1 || (parts.length === 5 && parts[2] === 'svc' && parts[3] === 'cluster' && parts[4] === 'local'));
          const number = obj(dest.port)?.number;
          if (!local) {
            const dns = ctx.dnsEntries.filter((e) => e.name === `dns:${host}`);
            if (dns.length === 0) q.warn('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/host`, `no ServiceEntry host ${host}`);
            else destinations.push({ pods: dns, ...(typeof number === 'number' ? { targetPort: number } : {}), dns: true });
            return;
          }
          const key = parts.length === 5 ? `${parts[1]}/${parts[0]}` : `${namespace}/${host}`;
          const svc = services.get(key);
          if (!svc) {
            q.warn('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/host`, `no Service ${key}`);
            return;
          }
          const sp = typeof number === 'number' ? svc.ports.find((x) => x.port === number) : svc.ports.length === 1 ? svc.ports[0] : undefined;
          if (typeof number === 'number' && !sp) {
            q.add('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/port`, `Service ${key} has no port ${number}`);
            return;
          }
          destinations.push({ pods: svc.pods, ...(sp ? { targetPort: sp.targetPort } : {}) });
        });
        const port = (dest: (typeof destinations)[number]): { targetPort?: number | string } => (dest.targetPort !== undefined ? { targetPort: dest.targetPort } : {});
        const origin = (gateway: string): LayerOrigin => q.origin(`VirtualService ${namespace}/${name} ${kind}[${i}] via Gateway ${gateway}`, at);
        if (kind !== 'http' && vs.gateways.size > 0) {
          const l4Items = matches.map((m) => ({
            port: typeof m.port === 'number' ? m.port : 0,
            gateways: arr(m.gateways).map((g) => gatewayRef(String(g))),
            sniHosts: arr(m.sniHosts).map((h) => String(h).toLowerCase()),
          }));
          l4Routes.push({ kind, vs, index: i, items: l4Items, hasRoute: arr(route.route).length > 0, destinations, origin, resource: r, at });
        }
        if (kind === 'http' && vs.gateways.size > 0) httpRoutes.push({ vs, index: i, items, destinations, origin, resource: r, at });
        if (meshRoute) {
          meshRoutes.push({
            kind,
            vs,
            items:
              kind === 'http'
                ? items.map((it) => ({ dims: it.dims, sure: it.sure, mesh: it.mesh, sniHosts: [] }))
                : matches.map((m) => ({ dims: {}, sure: true, mesh: arr(m.gateways).length === 0 || arr(m.gateways).map(String).includes('mesh'), sniHosts: arr(m.sniHosts).map((h) => String(h).toLowerCase()) })),
            hasRoute: arr(route.route).length > 0,
            egress: destinations.flatMap((dest) => {
              const pods = dest.pods.filter((ep) => egressGatewayPods.has(ep));
              return dest.dns || pods.length === 0 ? [] : [{ pods, ...port(dest) }];
            }),
            origin: q.origin(`VirtualService ${namespace}/${name} ${kind}[${i}] from the mesh`, at),
          });
          if (toEgressGateway && destinations.some((dest) => !dest.dns && dest.pods.some((ep) => egressGatewayPods.has(ep)))) halfFlow ??= { resource: r, at };
        }
      });
    }
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  resolveGatewayRoutes({ http: httpRoutes, l4: l4Routes }, gateways, ctx, bindRoute, warnings);
  meshToGateway.push(...resolveMeshRoutes(meshRoutes, [...new Set(ctx.topology.endpoints.flatMap((ep) => (ep.kind === 'pod' ? [ep.namespace ?? ''] : [])))], ctx));
  let flows: EgressFlows | undefined;
  if (meshToGateway.length > 0 && gatewayToHost.length > 0) {
    for (const rule of gatewayToHost) for (const ep of rule.gatewayPods) captured.add(ep);
    rules.push(...gatewayToHost);
    flows = { captured: new Set(meshToGateway.flatMap((rule) => rule.pods)), rules: meshToGateway, hostGateways };
  } else if (halfFlow) {
    const p = new MeshProblems(halfFlow.resource);
    p.warn('ISTIO_EGRESS_FLOW_PARTIAL', halfFlow.at, meshToGateway.length > 0 ? 'no route bound to an egress Gateway leads to a ServiceEntry host' : 'no route of the mesh leads to the egress gateway');
    warnings.push(...p.warnings);
  }
  return { layer: new IstioGatewayLayer(captured, rules, d, flows), errors, warnings };
}

const hostDims = (hosts: ReadonlySet<number>, all: number): { host?: Intervals } => (hosts.size < all ? { host: ivNormalize([...hosts].map((c): [number, number] => [c, c])) } : {});
const meets = (a: ReadonlySet<number>, b: ReadonlySet<number>): boolean => [...a].some((c) => b.has(c));

type Bind = (pods: ReadonlySet<Endpoint>, type: 'ingress' | 'egress', destinations: L4Route['destinations'], conns: ConnSet, origin: LayerOrigin, r: Resource, at: string) => void;

/**
 * A VirtualService's `exportTo`, with `.` read as its namespace. istio's validation (pkg/config/validation/validation.go
 * validateExportTo, visibility.Instance.Validate, master 86c9f01) takes `.`, `*` or a namespace name (a DNS-1123
 * label), each once, and `*` alone; `~` is for ServiceEntries only. Anything else is an input error.
 */
function readExportTo(raw: unknown, namespace: string, p: MeshProblems): Set<string> | undefined {
  const list = arr(raw);
  const out = new Set<string>();
  list.forEach((e, j) => {
    const key = e === '.' ? namespace : e;
    if (typeof key !== 'string' || !(key === '*' || /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(key))) p.add('ISTIO_INVALID_FIELD', `/spec/exportTo/${j}`, `an exportTo entry is ".", "*" or a namespace name, got ${JSON.stringify(e)}`);
    else if (out.has(key)) p.add('ISTIO_INVALID_FIELD', `/spec/exportTo/${j}`, `${JSON.stringify(e)} is already exported to`);
    else out.add(key);
  });
  if (out.has('*') && list.length > 1) p.add('ISTIO_INVALID_FIELD', '/spec/exportTo', '"*" cannot be combined with other exportTo entries');
  return list.length > 0 ? out : undefined;
}

/**
 * Which routes take a gateway proxy's connections, as istio builds the proxy's listeners and routes
 * (istio/istio pilot/pkg/networking/core/gateway.go and route/route.go, pilot/pkg/model/gateway.go and
 * push_context.go, master 86c9f01, 1.31.0-alpha). A proxy is a set of gateway pods of one namespace that the
 * same Gateways select; its servers are merged (mergeGatewayServers) and each server's kind picks its routes.
 * A VirtualService counts for a server when it is bound to the server's Gateway (its own `gateways`) and the
 * proxy sees it (vsVisibility: `exportTo`), in the order vsVisibility gives.
 * - http (buildGatewayHTTPRouteConfig): the HTTP servers of a port share one route table, an HTTPS server
 *   terminating TLS has its own. Each VirtualService whose hosts meet a server's adds its routes that apply
 *   there (a match item's `port`, if any, is the server's, its `gateways`, if any, name the Gateway; none
 *   apply: the VirtualService adds nothing) to the virtual host of each host the two share (the narrower of
 *   each pair, intersectHosts), after what earlier VirtualServices put there. Envoy gives a request the virtual
 *   host naming its Host exactly, else the longest `*.suffix`, else `*` (envoySniChoice), and there the first
 *   route that matches: a route gets what no earlier one of the virtual host took. A plaintext server with
 *   `tls.httpsRedirect` answers its hosts with a redirect (RequireTls ALL): nothing is forwarded.
 * - tcp (buildGatewayNetworkFiltersFromTCPRoutes): per server, the first route, over the VirtualServices in
 *   order and their routes in order, that names a destination and whose match items (none = every
 *   connection) match the server's port and the gateway takes every connection of the server; no later
 *   route gets any ("return lb.buildOutboundNetworkFilters(...)" on the first match).
 * - tls (buildGatewayNetworkFiltersFromTLSRoutes), on PASSTHROUGH servers: per listener port, every matching
 *   item of every route becomes a filter chain on its sniHosts, unless one of them is already a chain's on
 *   that port (model.CheckDuplicates: the item is skipped); Envoy then gives a connection to the chain its
 *   SNI selects (envoySniChoice), whatever their order.
 * At a gateway istio reads neither `sourceLabels` nor `sourceNamespace` of tcp and tls matches (l4SingleMatch).
 */
function resolveGatewayRoutes(
  routes: { http: readonly HttpRoute[]; l4: readonly L4Route[] },
  gateways: ReadonlyMap<string, GatewayInfo>,
  ctx: Ctx,
  bind: Bind,
  warnings: PalisadeError[],
): void {
  const d = ctx.domain;
  const hostCount = ctx.hosts.witnesses.length;
  // Proxies: gateway pods grouped by namespace and the Gateways (in istio's order) that select them.
  const proxies = new Map<string, { namespace: string; pods: Set<Endpoint>; gateways: GatewayInfo[] }>();
  const ordered = [...gateways.values()].sort((a, b) => compareConfigOrder(a.order, b.order));
  const podGateways = new Map<Endpoint, GatewayInfo[]>();
  for (const gw of ordered) for (const ep of gw.pods) podGateways.set(ep, [...(podGateways.get(ep) ?? []), gw]);
  for (const [ep, gws] of podGateways) {
    const key = `${ep.namespace}|${gws.map((g) => g.key).join(',')}`;
    const proxy = proxies.get(key) ?? { namespace: ep.namespace ?? '', pods: new Set<Endpoint>(), gateways: gws };
    proxy.pods.add(ep);
    proxies.set(key, proxy);
  }
  const warned = new Set<ServerInfo>();
  const visibleCache = new Map<string, VsInfo[]>();
  /** The VirtualServices bound to `gateway` that a proxy in `namespace` sees, in istio's order. */
  const visible = (gateway: string, namespace: string): VsInfo[] => {
    const key = `${gateway}|${namespace}`;
    let list = visibleCache.get(key);
    if (!list) {
      const all = new Set([...routes.http.map((x) => x.vs), ...routes.l4.map((x) => x.vs)]);
      list = [...all]
        .flatMap((vs) => {
          const rank = vs.gateways.has(gateway) ? vsVisibility(vs, namespace) : undefined;
          return rank === undefined ? [] : [{ vs, rank }];
        })
        .sort((a, b) => a.rank - b.rank || compareConfigOrder(a.vs.order, b.vs.order))
        .map((x) => x.vs);
      visibleCache.set(key, list);
    }
    return list;
  };
  const httpOf = new Map<VsInfo, HttpRoute[]>();
  for (const x of routes.http) httpOf.set(x.vs, [...(httpOf.get(x.vs) ?? []), x]);
  const l4Of = new Map<VsInfo, L4Route[]>();
  for (const x of routes.l4) l4Of.set(x.vs, [...(l4Of.get(x.vs) ?? []), x]);

  for (const proxy of proxies.values()) {
    const type = (gateway: string): 'ingress' | 'egress' => gateways.get(gateway)!.type;
    const merged = mergeGatewayServers(proxy.gateways);
    for (const { server, why } of merged.skipped) {
      if (warned.has(server)) continue;
      warned.add(server);
      const p = new MeshProblems(server.resource);
      p.warn('ISTIO_GATEWAY_SERVER_SKIPPED', `/spec/servers/${server.index}`, why);
      warnings.push(...p.warnings);
    }
    const servers = merged.groups.flatMap((g) => g.servers);
    // http: route tables, each a list of servers, and whether its connections are plaintext.
    const tables = [
      ...merged.groups.filter((g) => g.servers.some((x) => x.kind === 'http')).map((g) => ({ plaintext: true, servers: g.servers.map((x) => x.server) })),
      ...servers.filter((x) => x.kind === 'https' || x.kind === 'any').map((x) => ({ plaintext: false, servers: [x.server] })),
    ];
    for (const table of tables) {
      const vhosts = new Map<string, { entries: { route: HttpRoute; gateway: string; item?: HttpRoute['items'][number] }[]; redirect: boolean }>();
      const vhost = (h: string): { entries: { route: HttpRoute; gateway: string; item?: HttpRoute['items'][number] }[]; redirect: boolean } => {
        const v = vhosts.get(h) ?? { entries: [], redirect: false };
        vhosts.set(h, v);
        return v;
      };
      for (const server of table.servers) {
        const redirect = table.plaintext && server.tls?.httpsRedirect === true;
        for (const vs of visible(server.gateway, proxy.namespace)) {
          const shared = intersectHosts(server.names, vs.names);
          if (shared.length === 0) continue;
          const entries = (httpOf.get(vs) ?? []).flatMap((route) =>
            route.items.length === 0
              ? [{ route, gateway: server.gateway }]
              : route.items.filter((it) => (it.port === 0 || it.port === server.port) && (it.gateways.length === 0 || it.gateways.includes(server.gateway))).map((item) => ({ route, gateway: server.gateway, item })),
          );
          if (entries.length === 0) continue;
          for (const h of shared) {
            const v = vhost(h);
            v.entries.push(...entries);
            v.redirect ||= redirect;
          }
        }
        if (redirect) for (const h of server.names) vhost(h).redirect = true;
      }
      const domains = [...vhosts.keys()];
      const chosen = new Map<string, number[]>();
      ctx.hosts.witnesses.forEach((w, c) => {
        const i = envoySniChoice(domains.map((x) => [x]), w);
        if (i !== undefined) chosen.set(domains[i]!, [...(chosen.get(domains[i]!) ?? []), c]);
      });
      for (const [domain, classes] of chosen) {
        const v = vhosts.get(domain)!;
        if (v.redirect) continue;
        const hostDim = hostDims(new Set(classes), hostCount);
        let taken = ConnSet.empty(d);
        const got = new Map<HttpRoute, { conns: ConnSet; gateway: string }>();
        for (const e of v.entries) {
          const asked = ConnSet.cube(d, { proto: [TCP, TCP], ...hostDim, ...(e.item?.dims ?? {}) });
          const conns = asked.subtract(taken);
          if (!e.item || e.item.sure) taken = taken.union(asked);
          if (conns.isEmpty()) continue;
          const before = got.get(e.route);
          got.set(e.route, { conns: before ? before.conns.union(conns) : conns, gateway: e.gateway });
        }
        for (const [route, { conns, gateway }] of got) bind(proxy.pods, type(gateway), route.destinations, conns, route.origin(gateway), route.resource, route.at);
      }
    }

    const taken = new Map<L4Route, { hosts: Set<number>; gateway: string }>();
    const take = (route: L4Route, gateway: string, hosts: Iterable<number>): void => {
      const t = taken.get(route) ?? { hosts: new Set<number>(), gateway };
      for (const c of hosts) t.hosts.add(c);
      taken.set(route, t);
    };
    for (const { server } of servers.filter((x) => x.kind === 'tcp' || x.kind === 'any')) {
      let first: { route: L4Route; vs: VsInfo } | undefined;
      for (const vs of visible(server.gateway, proxy.namespace)) {
        if (!meets(vs.hosts, server.hosts)) continue;
        const route = (l4Of.get(vs) ?? []).find((x) => x.kind === 'tcp' && x.hasRoute && (x.items.length === 0 || x.items.some((it) => l4ItemMatches(it, server.port, server.gateway))));
        if (route) {
          first = { route, vs };
          break;
        }
      }
      if (first) take(first.route, server.gateway, [...server.hosts].filter((c) => first.vs.hosts.has(c)));
    }
    const passthrough = servers.filter((x) => x.kind === 'tls' || x.kind === 'any').map((x) => x.server);
    for (const port of new Set(passthrough.map((s) => s.port))) {
      const chains: { route: L4Route; gateway: string; sni: string[] }[] = [];
      const known = new Set<string>();
      for (const server of passthrough.filter((s) => s.port === port)) {
        for (const vs of visible(server.gateway, proxy.namespace)) {
          if (!meets(vs.hosts, server.hosts)) continue;
          for (const route of (l4Of.get(vs) ?? []).filter((x) => x.kind === 'tls' && x.hasRoute)) {
            for (const item of route.items) {
              if (!l4ItemMatches(item, port, server.gateway) || item.sniHosts.some((h) => known.has(h))) continue;
              for (const h of item.sniHosts) known.add(h);
              chains.push({ route, gateway: server.gateway, sni: item.sniHosts });
            }
          }
        }
      }
      if (chains.length === 0) continue;
      const sni = chains.map((c) => c.sni);
      ctx.hosts.witnesses.forEach((w, c) => {
        const i = envoySniChoice(sni, w);
        if (i !== undefined) take(chains[i]!.route, chains[i]!.gateway, [c]);
      });
    }
    for (const [route, { hosts, gateway }] of taken) {
      if (hosts.size === 0) continue;
      bind(proxy.pods, type(gateway), route.destinations, ConnSet.cube(d, { proto: [TCP, TCP], ...hostDims(hosts, hostCount) }), route.origin(gateway), route.resource, route.at);
    }
  }
}

/** A route of a VirtualService bound to the mesh, as the sidecars read it when some route of the mesh leads to an egress gateway. */
interface MeshRoute {
  kind: 'http' | 'tls' | 'tcp';
  vs: VsInfo;
  /** Match items: http request dimensions (`sure`: no condition read as matching), tls SNI hosts; `mesh`: the item applies to sidecars. */
  items: { dims: { path?: Intervals; method?: Intervals }; sure: boolean; mesh: boolean; sniHosts: string[] }[];
  hasRoute: boolean;
  /** Its destinations that are egress gateway pods (a Service selecting them), with the Service port's target. */
  egress: { pods: Endpoint[]; targetPort?: number | string }[];
  origin: LayerOrigin;
}

/**
 * What the sidecars send to egress gateways along the mesh's routes, as istio builds a sidecar's outbound routes
 * (istio/istio master 86c9f01, 1.31.0-alpha). The VirtualServices a sidecar in namespace N reads are
 * push_context.go VirtualServicesForGateway(N, "mesh"): those exported from N first, then those exported to N,
 * then the public ones, each in creation-time, name, namespace order (vsVisibility). So a rule holds for the
 * source namespaces that see the same list.
 * - http (networking/core/httproute.go BuildSidecarOutboundVirtualHosts, route/route.go
 *   buildSidecarVirtualHostsForVirtualService): each VirtualService with a route for the sidecar (an item
 *   whose `gateways` is empty or names `mesh`; BuildHTTPRoutesForVirtualService) builds one virtual host of its
 *   own routes on its hosts; a host an earlier VirtualService already named is dropped from it (dedupeDomains:
 *   "duplicate domain from virtual service"), so the first VirtualService naming a host takes all of it and
 *   later ones none. Envoy picks the virtual host naming the Host exactly, else the longest `*.suffix`, else
 *   `*` (envoySniChoice), and there the first route that matches.
 * - tls (networking/core/tls.go buildSidecarOutboundTLSFilterChainOpts): every item of every route, over the
 *   VirtualServices in order, becomes a filter chain on its sniHosts unless an earlier item had the same
 *   sniHosts (matchHasBeenHandled); Envoy gives a connection the chain its SNI selects (envoySniChoice).
 * - tcp: every route leading to an egress gateway takes every TCP connection (the destination service's
 *   listener that istio would pick is not modelled).
 */
function resolveMeshRoutes(routes: readonly MeshRoute[], namespaces: readonly string[], ctx: Ctx): Rule[] {
  if (!routes.some((r) => r.egress.length > 0)) return [];
  const d = ctx.domain;
  const hostCount = ctx.hosts.witnesses.length;
  const all = [...new Set(routes.map((r) => r.vs))];
  const groups = new Map<string, { list: VsInfo[]; sources: Set<string> }>();
  for (const ns of namespaces) {
    const list = all
      .flatMap((vs) => {
        const rank = vsVisibility(vs, ns);
        return rank === undefined ? [] : [{ vs, rank }];
      })
      .sort((a, b) => a.rank - b.rank || compareConfigOrder(a.vs.order, b.vs.order))
      .map((x) => x.vs);
    const key = list.map((vs) => all.indexOf(vs)).join(',');
    const g = groups.get(key) ?? { list, sources: new Set<string>() };
    g.sources.add(ns);
    groups.set(key, g);
  }
  const out: Rule[] = [];
  const emit = (route: MeshRoute, conns: ConnSet, sources: ReadonlySet<string> | undefined): void => {
    if (conns.isEmpty()) return;
    for (const dest of route.egress) out.push({ gatewayPods: new Set(dest.pods), pods: dest.pods, ...(dest.targetPort !== undefined ? { targetPort: dest.targetPort } : {}), conns, origin: route.origin, ...(sources ? { sources } : {}) });
  };
  const ofKind = (vs: VsInfo, kind: MeshRoute['kind']): MeshRoute[] => routes.filter((r) => r.vs === vs && r.kind === kind);
  const applies = (r: MeshRoute): boolean => r.items.length === 0 || r.items.some((it) => it.mesh);
  for (const { list, sources } of groups.values()) {
    // http: the first VirtualService naming a host owns its virtual host.
    const owner = new Map<string, VsInfo>();
    for (const vs of list) {
      if (!ofKind(vs, 'http').some(applies)) continue;
      for (const h of vs.names) if (!owner.has(h)) owner.set(h, vs);
    }
    const domains = [...owner.keys()];
    const classes = new Map<VsInfo, Set<number>>();
    ctx.hosts.witnesses.forEach((w, c) => {
      const i = envoySniChoice(domains.map((x) => [x]), w);
      if (i === undefined) return;
      const vs = owner.get(domains[i]!)!;
      classes.set(vs, (classes.get(vs) ?? new Set<number>()).add(c));
    });
    for (const [vs, hosts] of classes) {
      const hostDim = hostDims(hosts, hostCount);
      let taken = ConnSet.empty(d);
      for (const route of ofKind(vs, 'http')) {
        let got = ConnSet.empty(d);
        for (const it of route.items.length === 0 ? [undefined] : route.items.filter((x) => x.mesh)) {
          const asked = ConnSet.cube(d, { proto: [TCP, TCP], ...hostDim, ...(it?.dims ?? {}) });
          got = got.union(asked.subtract(taken));
          if (!it || it.sure) taken = taken.union(asked);
        }
        emit(route, got, sources);
      }
    }
    // tls: one filter chain per distinct sniHosts, first come.
    const chains: { route: MeshRoute; sni: string[] }[] = [];
    const handled = new Set<string>();
    for (const vs of list) {
      for (const route of ofKind(vs, 'tls')) {
        if (!route.hasRoute) continue;
        for (const it of route.items) {
          const key = [...it.sniHosts].sort().join(',');
          if (!it.mesh || handled.has(key)) continue;
          handled.add(key);
          chains.push({ route, sni: it.sniHosts });
        }
      }
    }
    const sniOf = new Map<MeshRoute, Set<number>>();
    ctx.hosts.witnesses.forEach((w, c) => {
      const i = envoySniChoice(chains.map((x) => x.sni), w);
      if (i !== undefined) sniOf.set(chains[i]!.route, (sniOf.get(chains[i]!.route) ?? new Set<number>()).add(c));
    });
    for (const [route, hosts] of sniOf) emit(route, ConnSet.cube(d, { proto: [TCP, TCP], ...hostDims(hosts, hostCount) }), sources);
  }
  for (const route of routes) if (route.kind === 'tcp' && route.hasRoute && applies(route)) emit(route, ConnSet.cube(d, { proto: [TCP, TCP] }), undefined);
  return out;
}

/**
 * Istio's standard gateway deployments, assumed present when a Gateway selects their labels and no
 * pod of the input carries them: the gateways are installed with Istio, not with the application,
 * so manifests rarely hold them. Their shape is network-config-analyzer's "livesim" gateways
 * (nca/NetworkConfig/LiveSim/istio_gateway), which the mesh corpus's expectations include.
 */
const ASSUMED_GATEWAYS: readonly { labels: Record<string, string>; yaml: string }[] = [
  {
    labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' },
    yaml: `apiVersion: v1
kind: Pod
metadata: {name: istio-ingressgateway-livesim, namespace: istio-system, labels: {app: istio-ingressgateway, istio: ingressgateway}}
spec: {serviceAccountName: istio-ingressgateway, containers: [{name: istio-proxy, image: auto}]}
`,
  },
  {
    labels: { app: 'istio-egressgateway', istio: 'egressgateway' },
    yaml: `apiVersion: v1
kind: Pod
metadata: {name: istio-egressgateway-livesim, namespace: istio-system, labels: {app: istio-egressgateway, istio: egressgateway}}
spec: {serviceAccountName: istio-egressgateway, containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Service
metadata: {name: istio-egressgateway, namespace: istio-system}
spec: {ports: [{port: 443}], selector: {app: istio-egressgateway, istio: egressgateway}}
`,
  },
];

/** The assumed gateway resources the input's Gateways need (each with a warning at the Gateway's selector). */
export function assumedGatewayResources(resources: readonly Resource[]): { resources: Resource[]; warnings: PalisadeError[] } {
  const gateways = resources.filter(isGateway);
  if (gateways.length === 0) return { resources: [], warnings: [] };
  const pods = collectTopology(resources).endpoints.filter((ep) => ep.kind === 'pod');
  const out: Resource[] = [];
  const warnings: PalisadeError[] = [];
  const added = new Set<number>();
  for (const r of gateways) {
    const selector = obj(obj(r.object.spec)?.selector) ?? {};
    for (const [k, v] of Object.entries(selector)) {
      if (pods.some((ep) => effectiveLabels(ep)[k] === String(v))) continue;
      const i = ASSUMED_GATEWAYS.findIndex((g) => g.labels[k] === String(v));
      if (i < 0) continue;
      const p = new MeshProblems(r);
      p.warn('ISTIO_GATEWAY_ASSUMED', '/spec/selector', `no pod of the input has ${k}=${String(v)}: Istio's standard gateway pod istio-system/${ASSUMED_GATEWAYS[i]!.yaml.match(/name: ([\w-]+)/)![1]!} is assumed`);
      warnings.push(...p.warnings);
      if (added.has(i)) continue;
      added.add(i);
      out.push(...loadText(`palisade:assumed/${Object.values(ASSUMED_GATEWAYS[i]!.labels)[0]!}.yaml`, ASSUMED_GATEWAYS[i]!.yaml).resources);
    }
  }
  return { resources: out, warnings };
}
