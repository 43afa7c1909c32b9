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
