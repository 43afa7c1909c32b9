import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import { buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * The Istio ingress gateway layer against a per-request oracle written from istio.io (Gateway,
 * VirtualService): a request reaches a VirtualService bound to the Gateway when its host is one both
 * name; "routing rules are evaluated in sequential order from top to bottom, with the first rule in the
 * list given the highest priority"; within a match block conditions are ANDed, the blocks ORed, a route
 * without match blocks matches every request; `uri.exact` is the path itself, `uri.prefix` the path
 * and what lies below it (the corpus's convention, `X` and `X/*`). The gateway pod then sends TCP to
 * the destination Service's pods on its target port. One reading is palisade's (network-config-analyzer's,
 * docs/mesh.md "Gateways"), not Envoy's: when no host is named by both the Gateway and the VirtualService,
 * no route binds the gateway pod, and its traffic is left to the other layers (unlimited here).
 */

type Svc = 'a' | 'b' | 'c';
interface Match {
  uri?: { exact: string } | { prefix: string };
  method?: { exact: string };
}
interface Route {
  match?: Match[];
  dest: Svc;
}
interface Config {
  gatewayHosts: string[];
  vsHosts: string[];
  routes: Route[];
}

const TARGET: Record<Svc, number> = { a: 8080, b: 9090, c: 7070 };
const TOPOLOGY = [
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gw', namespace: 'istio-system', labels: { istio: 'ingressgateway' } }, spec: { containers: [{ name: 'istio-proxy', image: 'x' }] } },
  ...(['a', 'b', 'c'] as const).flatMap((s) => [
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${s}`, namespace: 'web', labels: { app: s } }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: s, namespace: 'web' }, spec: { selector: { app: s }, ports: [{ port: 80, targetPort: TARGET[s] }] } },
  ]),
];

function docs(c: Config): unknown[] {
  return [
    ...TOPOLOGY,
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: c.gatewayHosts }] } },
    { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'vs', namespace: 'web' }, spec: { hosts: c.vsHosts, gateways: ['istio-system/gw'], http: c.routes.map((r) => ({ ...(r.match ? { match: r.match } : {}), route: [{ destination: { host: r.dest, port: { number: 80 } } }] })) } },
  ];
}

const hostIn = (hosts: string[], host: string): boolean => hosts.some((h) => h === '*' || h === host || (h.startsWith('*.') && host.endsWith(h.slice(1))));
function itemMatches(m: Match, path: string, method: string): boolean {
  if (m.uri && 'exact' in m.uri && m.uri.exact !== path) return false;
  if (m.uri && 'prefix' in m.uri) {
    const pre = m.uri.prefix.endsWith('/') ? m.uri.prefix.slice(0, -1) : m.uri.prefix;
    if (pre !== '' && path !== pre && !path.startsWith(`${pre}/`)) return false;
  }
  return !m.method || m.method.exact === method;
}
/** The Service a request reaches, or undefined. */
function oracle(c: Config, host: string, path: string, method: string): Svc | undefined {
  if (!hostIn(c.gatewayHosts, host) || !hostIn(c.vsHosts, host)) return undefined;
  return c.routes.find((r) => !r.match || r.match.some((m) => itemMatches(m, path, method)))?.dest;
}

const HOSTS = ['foo.com', 'bar.com', 'x.foo.com'];
/** Whether some host is named by both (then the routes bind the gateway pod). */
const bound = (c: Config): boolean => [...HOSTS, 'other.org'].some((h) => hostIn(c.gatewayHosts, h) && hostIn(c.vsHosts, h));
const PATHS = ['/', '/api', '/api/v1', '/apix', '/other'];

describe('Istio ingress gateway layer', () => {
  const svc = fc.constantFrom<Svc>('a', 'b', 'c');
  const match: fc.Arbitrary<Match> = fc.record(
    { uri: fc.oneof(fc.constantFrom('/api', '/api/v1', '/').map((exact) => ({ exact })), fc.constantFrom('/api', '/api/', '/').map((prefix) => ({ prefix }))), method: fc.constantFrom('GET', 'POST').map((exact) => ({ exact })) },
    { requiredKeys: [] },
  );
  const route: fc.Arbitrary<Route> = fc.record({ match: fc.array(match, { minLength: 1, maxLength: 2 }), dest: svc }, { requiredKeys: ['dest'] });
  const hosts = fc.subarray(['foo.com', 'bar.com', '*.foo.com', '*'], { minLength: 1 });
  const config: fc.Arbitrary<Config> = fc.record({ gatewayHosts: hosts, vsHosts: hosts.filter((h) => !h.includes('*') || h.length > 1), routes: fc.array(route, { minLength: 1, maxLength: 3 }) });

  it('the gateway pod sends a request to a pod exactly when the first matching route of the VirtualService leads to its Service, on the target port', () => {
    fc.assert(
      fc.property(config, (c) => {
        const model = buildMeshModel(loadText('gw.yaml', docs(c).map((o) => JSON.stringify(o)).join('\n---\n')).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const ep = (name: string) => model.topology.endpoints.find((e) => e.name === name)!;
        const gw = ep('istio-system/gw');
        for (const host of HOSTS) {
          for (const path of PATHS) {
            for (const method of ['GET', 'POST', 'PUT']) {
              const want = oracle(c, host, path, method);
              for (const s of ['a', 'b', 'c'] as const) {
                const point = [6, 40000, TARGET[s], 0, 0, METHODS.indexOf(method as (typeof METHODS)[number]), model.paths.classOf(path)!, model.hosts.classOf(host)!, 0];
                const got = model.gateways.egress(gw, ep(`web/p${s}`)).allowed.contains(point);
                expect(got, `${method} ${host}${path} -> ${s}`).toBe(bound(c) ? want === s : true);
              }
            }
          }
        }
      }),
      { numRuns: 80 },
    );
  });
});

/**
 * tcp and tls routes against a naive first-match oracle written from istio's listener code (istio/istio
 * pilot/pkg/networking/core/gateway.go, master 86c9f01): the VirtualServices bound to the gateway in
 * creation-time, name, namespace order; one whose hosts meet none of a server's hosts is skipped for it.
 * tcp: per server, the first route with a destination whose match items (none: all) match the server's
 * port and the gateway takes the server's connections. tls: per port, every matching item of a route with a
 * destination is a filter chain on its sniHosts unless one of them is already taken on the port; a
 * connection goes to the chain naming its SNI, else the longest `*.suffix` it ends with, else one with `*`.
 * A server's protocol picks its routes (buildGatewayTCPBasedFilterChains): tcp routes on a TCP server, tls routes
 * on a TLS PASSTHROUGH one. Servers sharing a port are merged first (model/gateway.go mergeGateways): after a
 * plaintext (TCP) server on a port every later non-HTTP server there is skipped, and a TLS server naming a host
 * an earlier TLS server of the port names is skipped.
 */
interface L4Item {
  port?: number;
  gateways?: string[];
  sniHosts?: string[];
}
interface L4Route {
  match?: L4Item[];
  dest?: Svc;
}
interface L4Vs {
  name: string;
  created?: string;
  hosts: string[];
  tcp: L4Route[];
  tls: L4Route[];
}
interface L4Config {
  servers: { port: number; hosts: string[]; kind: 'tcp' | 'tls' }[];
  services: L4Vs[];
}

function l4Docs(c: L4Config): unknown[] {
  const routes = (rs: L4Route[]) => rs.map((r) => ({ ...(r.match ? { match: r.match } : {}), ...(r.dest ? { route: [{ destination: { host: r.dest, port: { number: 80 } } }] } : {}) }));
  return [
    ...TOPOLOGY,
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { selector: { istio: 'ingressgateway' }, servers: c.servers.map((s, i) => ({ port: { number: s.port, name: `p${i}`, protocol: s.kind === 'tcp' ? 'TCP' : 'TLS' }, hosts: s.hosts, ...(s.kind === 'tls' ? { tls: { mode: 'PASSTHROUGH' } } : {}) })) } },
    ...c.services.map((v) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: v.name, namespace: 'web', ...(v.created ? { creationTimestamp: v.created } : {}) },
      spec: { hosts: v.hosts, gateways: ['istio-system/gw'], ...(v.tcp.length ? { tcp: routes(v.tcp) } : {}), ...(v.tls.length ? { tls: routes(v.tls) } : {}) },
    })),
  ];
}

/** istio's host.Name.Matches: one host name covers the other (`*` every name, `*.x` the names ending in `.x`). */
const covers = (a: string, b: string): boolean => a === '*' || a === b || (a.startsWith("*.") && b.endsWith(a.slice(1)));
const hostsMeet = (as: string[], bs: string[]): boolean => as.some((a) => bs.some((b) => covers(a, b) || covers(b, a)));
const l4ItemMatches = (it: L4Item, port: number): boolean => (it.port === undefined || it.port === port) && (!it.gateways || it.gateways.includes('istio-system/gw'));

/** The Services the gateway sends TCP to for a connection to `host` (its SNI for tls routes). */
function l4Oracle(c: L4Config, host: string): Set<Svc> {
  const ordered = [...c.services].sort((a, b) => ((a.created ?? '') !== (b.created ?? '') ? ((a.created ?? '') < (b.created ?? '') ? -1 : 1) : a.name < b.name ? -1 : 1));
  const out = new Set<Svc>();
  // The servers istio keeps when it merges them.
  const kept: L4Config['servers'] = [];
  for (const s of c.servers) {
    const before = kept.filter((k) => k.port === s.port);
    if (s.kind === 'tls' && before.some((k) => k.kind === 'tls' && k.hosts.some((h) => s.hosts.includes(h)))) continue;
    if (before.some((k) => k.kind === 'tcp')) continue;
    kept.push(s);
  }
  for (const s of kept.filter((x) => x.kind === 'tcp')) {
    let chosen: { vs: L4Vs; route: L4Route } | undefined;
    for (const vs of ordered) {
      if (chosen || !hostsMeet(vs.hosts, s.hosts)) continue;
      chosen = vs.tcp.filter((r) => r.dest && (!r.match || r.match.some((it) => l4ItemMatches(it, s.port)))).map((route) => ({ vs, route }))[0];
    }
    if (chosen && hostIn(s.hosts, host) && hostIn(chosen.vs.hosts, host)) out.add(chosen.route.dest!);
  }
  const passthrough = kept.filter((x) => x.kind === 'tls');
  for (const port of new Set(passthrough.map((s) => s.port))) {
    const chains: { sni: string[]; dest: Svc }[] = [];
    const known: string[] = [];
    for (const s of passthrough.filter((x) => x.port === port)) {
      for (const vs of ordered) {
        if (!hostsMeet(vs.hosts, s.hosts)) continue;
        for (const r of vs.tls) {
          if (!r.dest) continue;
          for (const it of r.match ?? []) {
            if (!l4ItemMatches(it, port) || it.sniHosts!.some((h) => known.includes(h))) continue;
            known.push(...it.sniHosts!);
            chains.push({ sni: it.sniHosts!, dest: r.dest });
          }
        }
      }
    }
    const exact = chains.find((ch) => ch.sni.includes(host));
    const wild = chains
      .flatMap((ch) => ch.sni.filter((h) => h.startsWith('*.') && host.endsWith(h.slice(1)) && host.length > h.length - 1).map((h) => ({ ch, len: h.length })))
      .sort((a, b) => b.len - a.len)[0]?.ch;
    const pick = exact ?? wild ?? chains.find((ch) => ch.sni.includes('*'));
    if (pick) out.add(pick.dest);
  }
  return out;
}

const L4_HOSTS = ['foo.com', 'bar.com', 'x.foo.com', 'a.x.foo.com', 'other.org'];

describe('Istio gateway tcp and tls routes', () => {
  const svc = fc.constantFrom<Svc>('a', 'b', 'c');
  const names = ['*', 'foo.com', 'bar.com', '*.foo.com', 'x.foo.com', '*.x.foo.com'];
  const hosts = fc.subarray(names, { minLength: 1, maxLength: 3 });
  const l4item = (vsHosts: string[], tls: boolean): fc.Arbitrary<L4Item> =>
    fc.record(
      {
        port: fc.constantFrom(443, 31400, 8443),
        gateways: fc.constantFrom(['istio-system/gw'], ['istio-system/other']),
        ...(tls ? { sniHosts: fc.subarray(names.filter((n) => vsHosts.some((v) => covers(v, n))), { minLength: 1, maxLength: Math.min(2, names.filter((n) => vsHosts.some((v) => covers(v, n))).length) }) } : {}),
      },
      { requiredKeys: tls ? ['sniHosts'] : [] },
    );
  const vs = (name: string): fc.Arbitrary<L4Vs> =>
    hosts.chain((vsHosts) =>
      fc.record({
        name: fc.constant(name),
        created: fc.option(fc.constantFrom('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'), { nil: undefined }),
        hosts: fc.constant(vsHosts),
        tcp: fc.array(fc.record({ match: fc.array(l4item(vsHosts, false), { minLength: 1, maxLength: 2 }), dest: svc }, { requiredKeys: [] }), { maxLength: 3 }),
        tls: fc.array(fc.record({ match: fc.array(l4item(vsHosts, true), { minLength: 1, maxLength: 2 }), dest: svc }, { requiredKeys: ['match'] }), { maxLength: 3 }),
      }),
    );
  const config: fc.Arbitrary<L4Config> = fc.record({
    servers: fc.array(fc.record({ port: fc.constantFrom(443, 31400), hosts, kind: fc.constantFrom<'tcp' | 'tls'>('tcp', 'tls') }), { minLength: 1, maxLength: 3 }),
    services: fc.shuffledSubarray(['vs-b', 'vs-a', 'vs-c'], { minLength: 1 }).chain((ns) => fc.tuple(...ns.map(vs))),
  });

  it('the gateway pod sends TCP to a pod exactly when the route istio picks for the server (tcp, on TCP servers) or the SNI (tls, on PASSTHROUGH servers) leads to its Service', () => {
    fc.assert(
      fc.property(config, (c) => {
        const model = buildMeshModel(loadText('gw.yaml', l4Docs(c).map((o) => JSON.stringify(o)).join('\n---\n')).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const ep = (name: string) => model.topology.endpoints.find((e) => e.name === name)!;
        const gw = ep('istio-system/gw');
        const captured = model.gateways.captured.has(gw);
        for (const host of L4_HOSTS) {
          const want = l4Oracle(c, host);
          if (!captured) expect([...want], host).toEqual([]);
          for (const s of ['a', 'b', 'c'] as const) {
            const point = [6, 40000, TARGET[s], 0, 0, METHODS.indexOf('GET'), model.paths.classOf('/')!, model.hosts.classOf(host)!, 0];
            const got = model.gateways.egress(gw, ep(`web/p${s}`)).allowed.contains(point);
            if (captured) expect(got, `${host} -> ${s}`).toBe(want.has(s));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

/**
 * http routes over several VirtualServices, against a per-request oracle written from istio's gateway route
 * building (istio/istio pilot/pkg/networking/core/gateway.go buildGatewayHTTPRouteConfig, pkg/config/host/names.go
 * Intersection, pilot/pkg/model/push_context.go VirtualServicesForGateway, master 86c9f01) and Envoy's virtual
 * host choice: the proxy (namespace istio-system) sees a VirtualService whose exportTo is absent or `*`, or names
 * istio-system, those exported from istio-system itself first, then those exported to it from elsewhere, then
 * the public ones, each by creation time then name. Each visible VirtualService adds its routes, in order, to
 * the virtual host of every host it shares with the server (the narrower of each covering pair); a request goes
 * to the virtual host naming its host exactly, else the longest `*.suffix` it ends with, else `*`, and there to
 * the first route that matches.
 */
interface HttpVs {
  name: string;
  namespace: 'web' | 'istio-system';
  exportTo?: string[];
  hosts: string[];
  routes: Route[];
}
interface HttpConfig {
  serverHosts: string[];
  services: HttpVs[];
}

function httpDocs(c: HttpConfig): unknown[] {
  return [
    ...TOPOLOGY,
    { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'istio-system' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: c.serverHosts }] } },
    ...c.services.map((v) => ({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: v.name, namespace: v.namespace },
      spec: {
        hosts: v.hosts,
        gateways: ['istio-system/gw'],
        ...(v.exportTo ? { exportTo: v.exportTo } : {}),
        http: v.routes.map((r) => ({ ...(r.match ? { match: r.match } : {}), route: [{ destination: { host: `${r.dest}.web.svc.cluster.local`, port: { number: 80 } } }] })),
      },
    })),
  ];
}

/** istio's host.Name.SubsetOf. */
const subsetOf = (n: string, o: string): boolean => (n.startsWith('*') ? o.startsWith('*') && n.length >= o.length && n.slice(1).endsWith(o.slice(1)) : o.startsWith('*') ? n.endsWith(o.slice(1)) : n === o);

function httpOracle(c: HttpConfig, host: string, path: string, method: string): Svc | undefined {
  const rank = (v: HttpVs): number | undefined => {
    const e = v.exportTo?.map((x) => (x === '.' ? v.namespace : x));
    if (!e || e.includes('*')) return 2;
    if (!e.includes('istio-system')) return undefined;
    return v.namespace === 'istio-system' ? 0 : 1;
  };
  const visible = c.services.filter((v) => rank(v) !== undefined).sort((a, b) => rank(a)! - rank(b)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const vhosts = new Map<string, Route[]>();
  for (const v of visible) {
    for (const s of c.serverHosts) {
      for (const h of v.hosts) {
        const shared = subsetOf(s, h) ? s : subsetOf(h, s) ? h : undefined;
        if (shared === undefined) continue;
        const list = vhosts.get(shared) ?? [];
        // A pair met twice adds the VirtualService's routes once (Intersection keeps each host once).
        if (!list.includes(v.routes[0]!)) list.push(...v.routes);
        vhosts.set(shared, list);
      }
    }
  }
  const domains = [...vhosts.keys()];
  const domain =
    domains.find((d) => d === host) ??
    domains.filter((d) => d.startsWith('*.') && host.endsWith(d.slice(1))).sort((a, b) => b.length - a.length)[0] ??
    domains.find((d) => d === '*');
  if (domain === undefined) return undefined;
  return vhosts.get(domain)!.find((r) => !r.match || r.match.some((m) => itemMatches(m, path, method)))?.dest;
}

describe('Istio gateway http routes over several VirtualServices', () => {
  const svc = fc.constantFrom<Svc>('a', 'b', 'c');
  const match: fc.Arbitrary<Match> = fc.record(
    { uri: fc.oneof(fc.constantFrom('/api', '/api/v1').map((exact) => ({ exact })), fc.constantFrom('/api', '/').map((prefix) => ({ prefix }))), method: fc.constantFrom('GET', 'POST').map((exact) => ({ exact })) },
    { requiredKeys: [] },
  );
  const route: fc.Arbitrary<Route> = fc.record({ match: fc.array(match, { minLength: 1, maxLength: 2 }), dest: svc }, { requiredKeys: ['dest'] });
  const hostNames = ['foo.com', 'x.foo.com', '*.foo.com', 'bar.com', '*'];
  const vs = (name: string): fc.Arbitrary<HttpVs> =>
    fc.record(
      {
        name: fc.constant(name),
        namespace: fc.constantFrom<'web' | 'istio-system'>('web', 'istio-system'),
        exportTo: fc.constantFrom(['*'], ['.'], ['istio-system'], ['web'], ['.', 'other'], ['web', 'istio-system']),
        hosts: fc.subarray(hostNames.filter((h) => h !== '*'), { minLength: 1, maxLength: 2 }),
        routes: fc.array(route, { minLength: 1, maxLength: 3 }),
      },
      { requiredKeys: ['name', 'namespace', 'hosts', 'routes'] },
    );
  const config: fc.Arbitrary<HttpConfig> = fc.record({
    serverHosts: fc.subarray(hostNames, { minLength: 1, maxLength: 2 }),
    services: fc.shuffledSubarray(['vs-b', 'vs-a', 'vs-c'], { minLength: 1 }).chain((ns) => fc.tuple(...ns.map(vs))),
  });

  it('a request reaches a pod exactly when the first matching route of the virtual host Envoy picks for its host leads to the pod\'s Service', () => {
    fc.assert(
      fc.property(config, (c) => {
        const model = buildMeshModel(loadText('gw.yaml', httpDocs(c).map((o) => JSON.stringify(o)).join('\n---\n')).resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const ep = (name: string) => model.topology.endpoints.find((e) => e.name === name)!;
        const gw = ep('istio-system/gw');
        const captured = model.gateways.captured.has(gw);
        for (const host of ['foo.com', 'x.foo.com', 'y.foo.com', 'a.x.foo.com', 'bar.com', 'other.org']) {
          for (const path of PATHS) {
            for (const method of ['GET', 'POST']) {
              const want = httpOracle(c, host, path, method);
              if (!captured) expect(want, `${method} ${host}${path}`).toBeUndefined();
              for (const s of ['a', 'b', 'c'] as const) {
                const point = [6, 40000, TARGET[s], 0, 0, METHODS.indexOf(method as (typeof METHODS)[number]), model.paths.classOf(path)!, model.hosts.classOf(host)!, 0];
                const got = model.gateways.egress(gw, ep(`web/p${s}`)).allowed.contains(point);
                if (captured) expect(got, `${method} ${host}${path} -> ${s}`).toBe(want === s);
              }
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
