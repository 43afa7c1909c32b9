import { arr, namespaceOf, obj, podsSelected, type LayerParseCtx } from '../layers/parsing.js';
import type { PalisadeError } from '../../core/errors.js';
import { loadText, type Resource } from '../../core/load.js';
import { ConnSet, METHODS, TCP, ivNormalize, ivSubtract, type Domain, type Intervals } from '../layers/connSet.js';
import { collectTopology, effectiveLabels, topologyIndex, type Endpoint } from '../layers/endpoints.js';
import { MeshProblems, type LayerOrigin } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import { ISTIO_NETWORKING_APIS } from '../istio/sidecar.js';

/**
 * Istio ingress gateways: Gateway + VirtualService, as IBM's network-config-analyzer models them
 * (IstioGatewayYamlParser.py, IstioVirtualServiceYamlParser.py, IstioGatewayPolicyGenerator.py —
 * the source of the mesh corpus). A Gateway selecting `istio: ingressgateway` pods exposes its
 * servers' hosts; a VirtualService bound to it (`gateways`, per route or for the whole service)
 * routes the hosts both name to its destinations. The gateway pods then send TCP only along those
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
      if (!rule.pods.includes(dst)) continue;
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

interface GatewayInfo {
  pods: Set<Endpoint>;
  hosts: Set<number>;
  /** Each server's port number (0 when absent) and host classes, in the Gateway's order. */
  servers: { port: number; hosts: Set<number> }[];
  type: 'ingress' | 'egress';
}

/** One tcp or tls route of a VirtualService bound to a Gateway, before istio picks the routes that take traffic. */
interface L4Route {
  kind: 'tcp' | 'tls';
  /** istio's VirtualService order: creation time, then name, then namespace. */
  order: readonly [string, string, string];
  /** The route's place among its VirtualService's routes of the same kind. */
  index: number;
  gateway: string;
  vsHosts: ReadonlySet<number>;
  /** The match items: port (0 = any), gateways (empty = any), SNI hosts (tls), lower-cased. */
  items: { port: number; gateways: string[]; sniHosts: string[] }[];
  /** Whether the route names a destination at all (istio skips one that does not). */
  hasRoute: boolean;
  destinations: { pods: Endpoint[]; targetPort?: number | string; dns?: true }[];
  origin: LayerOrigin;
  resource: Resource;
  at: string;
}

const compareOrder = (a: L4Route, b: L4Route): number => {
  for (let k = 0; k < 3; k++) if (a.order[k] !== b.order[k]) return a.order[k]! < b.order[k]! ? -1 : 1;
  return a.kind === b.kind ? a.index - b.index : 0;
};

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
    const hosts = new Set<number>();
    const servers: GatewayInfo['servers'] = [];
    arr(spec.servers).forEach((s, i) => {
      const list = arr(obj(s)?.hosts);
      if (list.length === 0) p.add('ISTIO_INVALID_HOST', `/spec/servers/${i}/hosts`, 'a server needs at least one host');
      const own = new Set<number>();
      list.forEach((h, j) => {
        for (const c of hostClasses(String(h), p, `/spec/servers/${i}/hosts/${j}`) ?? []) {
          hosts.add(c);
          own.add(c);
        }
      });
      const number = obj(obj(s)?.port)?.number;
      servers.push({ port: typeof number === 'number' ? number : 0, hosts: own });
    });
    errors.push(...p.errors);
    warnings.push(...p.warnings);
    if (type && selected.length > 0 && p.errors.length === 0) gateways.set(`${nsOf(r)}/${String(obj(r.object.metadata)?.name ?? '')}`, { pods: new Set(selected), hosts, servers, type });
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
  /** A route bound to a gateway takes `conns` of what the gateway's pods send to its destinations. */
  const bindRoute = (gw: GatewayInfo, destinations: L4Route['destinations'], conns: ConnSet, origin: LayerOrigin, r: Resource, at: string): void => {
    const port = (dest: L4Route['destinations'][number]): { targetPort?: number | string } => (dest.targetPort !== undefined ? { targetPort: dest.targetPort } : {});
    if (gw.type === 'ingress') {
      for (const ep of gw.pods) captured.add(ep);
      for (const dest of destinations) rules.push({ gatewayPods: gw.pods, pods: dest.pods, ...port(dest), conns, origin });
      return;
    }
    halfFlow ??= { resource: r, at };
    for (const dest of destinations) {
      gatewayToHost.push({ gatewayPods: gw.pods, pods: dest.pods, ...port(dest), conns, origin });
      if (!dest.dns) continue;
      for (const host of dest.pods) {
        const entry = hostGateways.get(host) ?? { pods: new Set<Endpoint>(), origin };
        for (const ep of gw.pods) entry.pods.add(ep);
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
    /** Per gateway (and `mesh`), the http requests earlier routes of this VirtualService took. */
    const takenByGateway = new Map<string, ConnSet>();
    const globalGateways = arr(spec.gateways).map(String);
    for (const kind of ['http', 'tls', 'tcp'] as const) {
      arr(spec[kind]).forEach((raw, i) => {
        const route = obj(raw) ?? {};
        const at = `/spec/${kind}/${i}`;
        const matches = arr(route.match).map((m) => obj(m) ?? {});
        const routeGateways = matches.flatMap((m) => arr(m.gateways).map(String));
        const named = routeGateways.length > 0 ? routeGateways : globalGateways;
        // istio binds a VirtualService to the gateways of its own `gateways` only (push_context.go getGatewayNames,
        // istio master 86c9f01); a tcp or tls match item's `gateways` then narrows where the item matches.
        const bound = (kind === 'http' ? named : globalGateways).filter((g) => g !== 'mesh');
        // A route without gateways is the mesh's; the mesh's routes matter here only on their way to an egress gateway.
        const toEgressGateway = (named.length === 0 || named.includes('mesh')) && leadsToEgressGateway(route, namespace);
        if (bound.length === 0 && !toEgressGateway) return;
        // Request attributes, one set per match item: "All conditions inside a single match block have
        // AND semantics, while the list of match blocks have OR semantics" (istio.io, HTTPMatchRequest).
        // `sure`: the item has no condition read as matching (headers, regex URIs…), so the requests it
        // names are surely the route's, and later routes do not get them.
        const items: { dims: { path?: Intervals; method?: Intervals }; sure: boolean }[] = [];
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
                p.warn('MESH_OUT_OF_SCOPE', `${at}/match/${j}/uri`, 'regex URIs are not modelled: read as every path');
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
                  p.add('ISTIO_INVALID_FIELD', `${at}/match/${j}/method/regex`, `${JSON.stringify(v)} is not a valid regular expression`);
                }
              }
              const hit = (x: string): boolean => (method.exact !== undefined ? x === v : method.prefix !== undefined ? x.startsWith(v) : regex !== undefined && regex.test(x));
              const methods = METHODS.flatMap((x, k) => (hit(x) ? [k] : []));
              dims.method = ivNormalize(methods.map((c): [number, number] => [c, c]));
            }
            for (const k of ['headers', 'queryParams', 'scheme', 'authority', 'port', 'sourceLabels', 'sourceNamespace', 'withoutHeaders']) {
              if (m[k] === undefined) continue;
              p.warn('MESH_OUT_OF_SCOPE', `${at}/match/${j}/${k}`, `${k} is not modelled: read as matching`);
              sure = false;
            }
            items.push({ dims, sure });
          });
        }
        /** The TCP requests of the route for these hosts: the union of its match items. */
        const requests = (hostDims: { host?: Intervals }, onlySure = false): ConnSet =>
          items.length === 0 ? ConnSet.cube(d, { proto: [TCP, TCP], ...hostDims }) : items.reduce((acc, it) => (onlySure && !it.sure ? acc : acc.union(ConnSet.cube(d, { proto: [TCP, TCP], ...hostDims, ...it.dims }))), ConnSet.empty(d));
        if (kind === 'tls') {
          if (matches.length === 0) return;
          sni = new Set();
          matches.forEach((m, j) =>
            arr(m.sniHosts).forEach((h, k) => {
              for (const c of hostClasses(String(h), p, `${at}/match/${j}/sniHosts/${k}`) ?? []) sni!.add(c);
            }),
          );
          if ([...sni].some((c) => !vsHosts.has(c))) {
            p.warn('MESH_OUT_OF_SCOPE', `${at}/match`, 'sniHosts are not a subset of hosts: the route is ignored');
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
            if (dns.length === 0) p.warn('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/host`, `no ServiceEntry host ${host}`);
            else destinations.push({ pods: dns, ...(typeof number === 'number' ? { targetPort: number } : {}), dns: true });
            return;
          }
          const key = parts.length === 5 ? `${parts[1]}/${parts[0]}` : `${namespace}/${host}`;
          const svc = services.get(key);
          if (!svc) {
            p.warn('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/host`, `no Service ${key}`);
            return;
          }
          const sp = typeof number === 'number' ? svc.ports.find((x) => x.port === number) : svc.ports.length === 1 ? svc.ports[0] : undefined;
          if (typeof number === 'number' && !sp) {
            p.add('ISTIO_DESTINATION_MISSING', `${at}/route/${j}/destination/port`, `Service ${key} has no port ${number}`);
            return;
          }
          destinations.push({ pods: svc.pods, ...(sp ? { targetPort: sp.targetPort } : {}) });
        });
        const hostDim = (hosts: ReadonlySet<number>): { host?: Intervals } => (hosts.size < allHosts.size ? { host: ivNormalize([...hosts].map((c): [number, number] => [c, c])) } : {});
        const port = (dest: (typeof destinations)[number]): { targetPort?: number | string } => (dest.targetPort !== undefined ? { targetPort: dest.targetPort } : {});
        if (kind !== 'http') {
          const md = obj(r.object.metadata) ?? {};
          const items = matches.map((m) => ({
            port: typeof m.port === 'number' ? m.port : 0,
            gateways: arr(m.gateways).map((g) => gatewayRef(String(g))),
            sniHosts: arr(m.sniHosts).map((h) => String(h).toLowerCase()),
          }));
          for (const ref of bound) {
            if (!gateways.has(gatewayRef(ref))) continue;
            const origin = p.origin(`VirtualService ${namespace}/${name} ${kind}[${i}] via Gateway ${gatewayRef(ref)}`, at);
            l4Routes.push({ kind, order: [typeof md.creationTimestamp === 'string' ? md.creationTimestamp : '', name, namespace], index: i, gateway: gatewayRef(ref), vsHosts, items, hasRoute: arr(route.route).length > 0, destinations, origin, resource: r, at });
          }
        }
        for (const ref of kind === 'http' ? bound : []) {
          const gw = gateways.get(gatewayRef(ref));
          if (!gw) continue;
          let hosts = new Set([...gw.hosts].filter((c) => vsHosts.has(c)));
          if (sni) hosts = new Set([...hosts].filter((c) => sni!.has(c)));
          if (hosts.size === 0) continue;
          // "Routing rules are evaluated in sequential order from top to bottom, with the first rule in
          // the list given the highest priority" (istio.io, "Traffic Management"): an http route gets
          // what no earlier http route of the VirtualService bound to the same gateway took.
          const all = requests(hostDim(hosts));
          const key = gatewayRef(ref);
          const before = takenByGateway.get(key) ?? ConnSet.empty(d);
          takenByGateway.set(key, before.union(requests(hostDim(hosts), true)));
          const conns = all.subtract(before);
          if (conns.isEmpty()) continue;
          bindRoute(gw, destinations, conns, p.origin(`VirtualService ${namespace}/${name} ${kind}[${i}] via Gateway ${key}`, at), r, at);
        }
        if (toEgressGateway) {
          // What the mesh's proxies send to the egress gateway: TLS for the SNI hosts, HTTP for the VirtualService's hosts.
          const hosts = sni ?? (kind === 'http' ? vsHosts : allHosts);
          const all = requests(hostDim(hosts));
          const before = kind === 'http' ? (takenByGateway.get('mesh') ?? ConnSet.empty(d)) : ConnSet.empty(d);
          if (kind === 'http') takenByGateway.set('mesh', before.union(requests(hostDim(hosts), true)));
          const conns = all.subtract(before);
          const origin = p.origin(`VirtualService ${namespace}/${name} ${kind}[${i}] from the mesh`, at);
          for (const dest of destinations) {
            const pods = dest.pods.filter((ep) => egressGatewayPods.has(ep));
            if (dest.dns || pods.length === 0) continue;
            halfFlow ??= { resource: r, at };
            meshToGateway.push({ gatewayPods: new Set(pods), pods, ...port(dest), conns, origin });
          }
        }
      });
    }
    errors.push(...p.errors);
    warnings.push(...p.warnings);
  }
  resolveL4Routes(l4Routes, gateways, ctx, bindRoute);
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

/**
 * Which tcp and tls routes take a gateway's connections, as istio builds the gateway's listeners
 * (istio/istio pilot/pkg/networking/core/gateway.go, master 86c9f01, 1.31.0-alpha). The VirtualServices
 * bound to the gateway come in creation-time order, then name, then namespace (model/config.go
 * configCompareByCreationTime via VirtualServiceController.MergedVirtualServices); one whose hosts meet
 * none of a server's hosts is skipped for that server (pickMatchingGatewayHosts).
 * - tcp (buildGatewayNetworkFiltersFromTCPRoutes): per server, the first route, over the VirtualServices
 *   in order and their routes in order, that names a destination and whose match items (none = every
 *   connection) match the server's port and the gateway takes every connection of the server; no later
 *   route gets any ("return lb.buildOutboundNetworkFilters(...)" on the first match).
 * - tls (buildGatewayNetworkFiltersFromTLSRoutes): per listener port, every matching item of every route
 *   becomes a filter chain on its sniHosts, unless one of them is already a chain's on that port
 *   (model.CheckDuplicates: the item is skipped); Envoy then gives a connection to the chain its SNI
 *   selects (envoySniChoice), whatever their order.
 * palisade applies both kinds to every server of the Gateway, whatever its protocol (istio uses tcp
 * routes on non-HTTP servers and tls routes on passthrough ones), as network-config-analyzer does.
 */
function resolveL4Routes(
  routes: readonly L4Route[],
  gateways: ReadonlyMap<string, GatewayInfo>,
  ctx: Ctx,
  bind: (gw: GatewayInfo, destinations: L4Route['destinations'], conns: ConnSet, origin: LayerOrigin, r: Resource, at: string) => void,
): void {
  const d = ctx.domain;
  const hostCount = ctx.hosts.witnesses.length;
  for (const [key, gw] of gateways) {
    const mine = routes.filter((x) => x.gateway === key).sort(compareOrder);
    if (mine.length === 0) continue;
    const taken = new Map<L4Route, Set<number>>();
    const take = (route: L4Route, hosts: Iterable<number>): void => {
      const set = taken.get(route) ?? new Set<number>();
      for (const c of hosts) set.add(c);
      taken.set(route, set);
    };
    const tcp = mine.filter((x) => x.kind === 'tcp');
    for (const server of gw.servers) {
      const first = tcp.find((x) => x.hasRoute && meets(x.vsHosts, server.hosts) && (x.items.length === 0 || x.items.some((it) => l4ItemMatches(it, server.port, key))));
      if (first) take(first, [...server.hosts].filter((c) => first.vsHosts.has(c)));
    }
    const tls = mine.filter((x) => x.kind === 'tls');
    for (const port of new Set(gw.servers.map((s) => s.port))) {
      const chains: { route: L4Route; sni: string[] }[] = [];
      const known = new Set<string>();
      for (const server of gw.servers.filter((s) => s.port === port)) {
        for (const route of tls) {
          if (!route.hasRoute || !meets(route.vsHosts, server.hosts)) continue;
          for (const item of route.items) {
            if (!l4ItemMatches(item, port, key) || item.sniHosts.some((h) => known.has(h))) continue;
            for (const h of item.sniHosts) known.add(h);
            chains.push({ route, sni: item.sniHosts });
          }
        }
      }
      if (chains.length === 0) continue;
      const sni = chains.map((c) => c.sni);
      ctx.hosts.witnesses.forEach((w, c) => {
        const i = envoySniChoice(sni, w);
        if (i !== undefined) take(chains[i]!.route, [c]);
      });
    }
    for (const [route, hosts] of taken) {
      if (hosts.size === 0) continue;
      bind(gw, route.destinations, ConnSet.cube(d, { proto: [TCP, TCP], ...hostDims(hosts, hostCount) }), route.origin, route.resource, route.at);
    }
  }
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
