import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

/** The Kubernetes Ingress gateway layer: the controller sends only what the Ingresses route. */

const pod = (ns: string, name: string, app: string, ports = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}
spec: {containers: [{name: c, image: x${ports}}]}`;
const svc = (ns: string, name: string, app: string, ports: string): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app: ${app}}, ports: ${ports}}`;

const TOPOLOGY = [
  pod('ingress-nginx', 'controller', 'nginx'),
  svc('ingress-nginx', 'ingress-nginx-controller', 'nginx', '[{port: 80}]'),
  pod('shop', 'api', 'api', ', ports: [{name: http, containerPort: 8080}]'),
  pod('shop', 'web', 'web'),
  pod('shop', 'other', 'other'),
  svc('shop', 'api', 'api', '[{name: web, port: 80, targetPort: http}]'),
  svc('shop', 'web', 'web', '[{port: 80, targetPort: 3000}]'),
].join('\n---\n');

const INGRESS = `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: web}}}}
      - {path: /api/admin, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /health, pathType: Exact, backend: {service: {name: api, port: {number: 80}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: missing, port: {number: 80}}}}
`;

function setup(extra = INGRESS) {
  const model = buildMeshModel(loadText('in.yaml', `${TOPOLOGY}\n---\n${extra}`).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
  const paths = (p: string): number => model.paths.classOf(p)!;
  const hosts = (h: string): number => model.hosts.classOf(h)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (src: string, dst: string, port: number, path = '/', host = 'shop.example.com', proto = 6): boolean => allowedBetween(model, ep(src), dst === 'outside' ? IpSet.all(4) : ep(dst)).contains([proto, 1000, port, 0, 0, 0, paths(path), hosts(host), 0]);
  return { model, can };
}

describe('Kubernetes Ingress gateway layer', () => {
  it('routes by host and path on the target port (named ports resolved on the pod), the longest prefix winning', () => {
    const { can } = setup();
    const c = 'ingress-nginx/controller';
    expect([can(c, 'shop/api', 8080, '/api'), can(c, 'shop/api', 8080, '/api/v1'), can(c, 'shop/api', 80, '/api'), can(c, 'shop/api', 8080, '/apix')]).toEqual([true, true, false, false]);
    // /api/admin belongs to the longer path's backend; Exact /health only for itself (service port 80 -> named target http).
    expect([can(c, 'shop/api', 8080, '/api/admin/x'), can(c, 'shop/web', 3000, '/api/admin/x'), can(c, 'shop/api', 8080, '/health'), can(c, 'shop/api', 8080, '/health/x')]).toEqual([false, true, true, false]);
  });

  it('unrouted paths, other hosts and paths with a missing backend go to the default backend; nothing else leaves the controller', () => {
    const { can, model } = setup();
    const c = 'ingress-nginx/controller';
    expect([can(c, 'shop/web', 3000, '/gone'), can(c, 'shop/web', 3000, '/x'), can(c, 'shop/web', 3000, '/api', 'other.example.com'), can(c, 'shop/web', 3000, '/api')]).toEqual([true, true, true, false]);
    expect([can(c, 'shop/other', 3000), can(c, 'outside', 443), can(c, 'shop/web', 3000, '/', 'x', 17)]).toEqual([false, false, false]);
    // Other pods are not the controller's business here.
    expect([can('shop/other', 'shop/web', 1, '/x'), can('shop/web', 'ingress-nginx/controller', 80)]).toEqual([true, true]);
    expect(model.warnings.map((w) => w.code)).toEqual(['INGRESS_BACKEND_MISSING']);
  });

  /**
   * "You must have an Ingress controller to satisfy an Ingress" (kubernetes.io, "Ingress"): it comes with
   * the cluster, so an input without one gets network-config-analyzer's standard controller (its "livesim"
   * pod ingress-controller-ns/ingress-controller-livesim), which then sends only what the Ingress routes.
   */
  it('an Ingress with no controller pods in the input gets the standard controller pod, with a warning at the Ingress', () => {
    const text = [pod('shop', 'api', 'api', ', ports: [{name: http, containerPort: 8080}]'), pod('shop', 'web', 'web'), svc('shop', 'api', 'api', '[{name: web, port: 80, targetPort: http}]'), svc('shop', 'web', 'web', '[{port: 80, targetPort: 3000}]'), INGRESS].join('\n---\n');
    const model = buildMeshModel(loadText('in.yaml', text).resources);
    expect(model.errors).toEqual([]);
    const c = model.topology.endpoints.find((e) => e.namespace === 'ingress-controller-ns')!;
    expect(c.name).toBe('ingress-controller-ns/ingress-controller-livesim');
    const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
    const can = (dst: Endpoint | IpSet, port: number, path: string): boolean => allowedBetween(model, c, dst).contains([6, 1000, port, 0, 0, 0, model.paths.classOf(path)!, model.hosts.classOf('shop.example.com')!, 0]);
    expect([can(ep('shop/api'), 8080, '/api'), can(ep('shop/web'), 3000, '/x'), can(ep('shop/api'), 8080, '/x'), can(ep('shop/web'), 8080, '/x'), can(IpSet.all(4), 443, '/')]).toEqual([true, true, false, false, false]);
    // Other pods still reach it: only what it sends is the Ingress's.
    expect(allowedBetween(model, ep('shop/web'), c).contains([6, 1000, 5678, 0, 0, 0, 0, 0, 0])).toBe(true);
    const warning = model.warnings.find((w) => w.code === 'INGRESS_NO_CONTROLLER')!;
    expect([warning.location?.line, warning.message.includes('ingress-controller-ns/ingress-controller-livesim')]).toEqual([text.split('\n').findIndex((l) => l.startsWith('metadata: {name: shop, namespace: shop}')) + 1, true]);
    // With a controller in the input, nothing is assumed.
    expect(buildMeshModel(loadText('in.yaml', `${TOPOLOGY}\n---\n${INGRESS}`).resources).topology.endpoints.some((e) => e.namespace === 'ingress-controller-ns')).toBe(false);
  });

  it('an Ingress with no controller pods warns, and an invalid path type is an input error', () => {
    const model = buildMeshModel(loadText('in.yaml', `${pod('shop', 'web', 'web')}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x, namespace: shop}\nspec: {rules: [{http: {paths: [{path: /a, pathType: Regex, backend: {service: {name: web, port: {number: 80}}}}]}}]}\n`).resources);
    expect(model.errors.map((e) => `${e.code} ${e.location?.line}`)).toEqual(['INGRESS_INVALID_PATH 9']);
    expect(model.warnings.map((w) => w.code)).toEqual(['INGRESS_NO_CONTROLLER']);
  });
});

describe('wildcard hosts: each layer by its own spec', () => {
  it('an Ingress *.example.com matches one label; an Istio Gateway/VirtualService *.example.com any number of labels', () => {
    const { model, can } = setup(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  rules:
  - host: "*.example.com"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: v1
kind: Pod
metadata: {name: gw, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy, image: x}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec: {selector: {istio: ingressgateway}, servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*.example.com"]}]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: web, namespace: shop}
spec: {hosts: ["*.example.com"], gateways: [istio-system/gw], http: [{route: [{destination: {host: web, port: {number: 80}}}]}]}
`);
    expect(model.warnings.map((w) => w.code)).toEqual([]);
    const hosts = ['shop.example.com', 'a.shop.example.com', 'example.com', 'shop.example.org'];
    // "The wildcard character '*' must appear by itself as the first DNS label and matches only a single label" (k8s.io/api networking/v1 IngressRule.Host).
    expect(hosts.map((h) => can('ingress-nginx/controller', 'shop/web', 3000, '/', h))).toEqual([true, false, false, false]);
    // istio pkg/config/host/name.go Matches: `*.com` matches `foo.com` by suffix, so `*.example.com` matches `a.shop.example.com`.
    expect(hosts.map((h) => can('istio-system/gw', 'shop/web', 3000, '/', h))).toEqual([true, true, false, false]);
  });

  it('gives a request to the rules of one host across Ingresses: exact host, else the longest wildcard, else the host-less rules (ingress-nginx servers)', () => {
    const { can } = setup(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: wild, namespace: shop}
spec:
  rules:
  - host: "*.example.com"
    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: exact, namespace: shop}
spec:
  rules:
  - host: shop.example.com
    http: {paths: [{path: /api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
`);
    const c = 'ingress-nginx/controller';
    const row = (host: string): string[] =>
      ['/api', '/'].flatMap((path) => [['shop/web', 3000], ['shop/api', 8080]].filter(([dst, port]) => can(c, dst as string, port as number, path, host)).map(([dst]) => `${path}->${dst as string}`));
    expect(['shop.example.com', 'x.example.com', 'a.b.example.com', 'other.org'].map((h) => [h, ...row(h)])).toEqual([
      // shop.example.com is the exact rule's only: / matches none of its paths, and the wildcard's / is not its.
      ['shop.example.com', '/api->shop/api'],
      ['x.example.com', '/api->shop/web', '/->shop/web'],
      // "*" fills one label only: a.b.example.com is no wildcard host's, so the host-less rule takes it.
      ['a.b.example.com', '/api->shop/api', '/->shop/api'],
      ['other.org', '/api->shop/api', '/->shop/api'],
    ]);
  });
});
