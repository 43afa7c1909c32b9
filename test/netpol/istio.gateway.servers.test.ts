import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';

/**
 * Which routes a gateway proxy's servers take, as istio builds them (istio/istio master 86c9f01):
 * the server's protocol and TLS mode pick http, tcp or tls routes (pilot/pkg/networking/core/gateway.go
 * buildGatewayTCPBasedFilterChains, createGatewayTCPFilterChainOpts); servers sharing a port are merged or
 * skipped (pilot/pkg/model/gateway.go mergeGateways); a VirtualService's exportTo decides whether the proxy
 * sees it (pilot/pkg/model/push_context.go VirtualServicesForGateway); and a request goes to the virtual host
 * naming its host exactly before a wildcard one (core/gateway.go buildGatewayHTTPRouteConfig, Envoy's
 * virtual host choice), where the first matching route over the VirtualServices in order takes it.
 */

const TOPOLOGY = `
apiVersion: v1
kind: Pod
metadata: {name: gw, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy, image: x}]}
${['a', 'b', 'c']
  .map(
    (s, i) => `---
apiVersion: v1
kind: Pod
metadata: {name: p${s}, namespace: web, labels: {app: ${s}}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: ${s}, namespace: web}
spec: {selector: {app: ${s}}, ports: [{port: 80, targetPort: ${[8080, 9090, 7070][i]}}]}`,
  )
  .join('\n')}
`;

const NON_TCP = { protocol: '0-5,7-255' };

/** What the gateway pod may send to each backend pod (the whole matrix row, outside addresses aside). */
function gatewayRow(yaml: string): { model: ReturnType<typeof buildMeshModel>; row: Record<string, unknown> } {
  const model = buildMeshModel(loadText('gw.yaml', TOPOLOGY + yaml).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const row = Object.fromEntries(meshMatrix(model, 'pod').filter((c) => c.src === 'istio-system/gw' && !c.dst.startsWith('ip:')).map((c) => [c.dst, c.conns]));
  return { model, row };
}

const lineOf = (text: string, needle: string): number => (TOPOLOGY + text).split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('Istio gateway servers: protocol, TLS mode, shared ports', () => {
  it('http routes serve HTTP and terminating HTTPS servers, tcp routes TCP servers, tls routes PASSTHROUGH servers only', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 80, name: http, protocol: HTTP}, hosts: [web.example.com]}
  - {port: {number: 8443, name: https, protocol: HTTPS}, hosts: [secure.example.com], tls: {mode: SIMPLE, credentialName: cert}}
  - {port: {number: 443, name: tls, protocol: TLS}, hosts: [tls.example.com], tls: {mode: PASSTHROUGH}}
  - {port: {number: 31400, name: tcp, protocol: TCP}, hosts: ["*"]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-http, namespace: web}
spec:
  hosts: [web.example.com, secure.example.com, tls.example.com]
  gateways: [istio-system/gw]
  http: [{route: [{destination: {host: a}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-tcp, namespace: web}
spec:
  hosts: ["*"]
  gateways: [istio-system/gw]
  tcp: [{route: [{destination: {host: b}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: vs-tls, namespace: web}
spec:
  hosts: [tls.example.com, web.example.com]
  gateways: [istio-system/gw]
  tls: [{match: [{sniHosts: [tls.example.com]}], route: [{destination: {host: c}}]}]
`;
    const { row } = gatewayRow(yaml);
    // tls.example.com's server is PASSTHROUGH: vs-http's http route never sees its requests, vs-tls's tls route
    // takes them; the tcp route serves the TCP server only (all its connections, whatever the host).
    expect(row).toEqual({
      'web/pa': [NON_TCP, { protocol: '6', ports: '8080', hosts: ['secure.example.com', 'web.example.com'] }],
      'web/pb': [NON_TCP, { protocol: '6', ports: '9090' }],
      'web/pc': [NON_TCP, { protocol: '6', ports: '7070', hosts: ['tls.example.com'] }],
    });
  });

  it('a tcp route on an HTTP-only Gateway and http routes on a TCP-only one route nothing', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: tcp, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 31400, name: tcp, protocol: TCP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: crossed, namespace: web}
spec:
  hosts: ["*"]
  gateways: [istio-system/gw]
  tcp: [{route: [{destination: {host: b}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: crossed2, namespace: web}
spec:
  hosts: ["*"]
  gateways: [istio-system/tcp]
  http: [{route: [{destination: {host: a}}]}]
`;
    const { model, row } = gatewayRow(yaml);
    // No route binds the gateway pod: its traffic is the other layers' (all of it here).
    expect(model.gateways.captured.size).toBe(0);
    expect(row).toEqual({ 'web/pa': 'All', 'web/pb': 'All', 'web/pc': 'All' });
  });

  it('merges HTTP servers of one port across Gateways and skips a TCP server on it, with a warning at the server', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: first, namespace: istio-system, creationTimestamp: "2024-01-01T00:00:00Z"}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com]}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: second, namespace: istio-system, creationTimestamp: "2025-01-01T00:00:00Z"}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 80, name: tcp, protocol: TCP}, hosts: ["*"]}
  - {port: {number: 80, name: http2, protocol: HTTP2}, hosts: [b.example.com]}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: web}
spec:
  hosts: ["*"]
  gateways: [istio-system/first, istio-system/second]
  http: [{route: [{destination: {host: a}}]}]
  tcp: [{route: [{destination: {host: b}}]}]
`;
    const { model, row } = gatewayRow(yaml);
    expect(row).toEqual({
      'web/pa': [NON_TCP, { protocol: '6', ports: '8080', hosts: ['a.example.com', 'b.example.com'] }],
      'web/pb': [NON_TCP],
      'web/pc': [NON_TCP],
    });
    expect(model.warnings.filter((w) => w.code === 'ISTIO_GATEWAY_SERVER_SKIPPED').map((w) => `${w.location?.file}:${w.location?.line}: ${w.message}`)).toEqual([
      `gw.yaml:${lineOf(yaml, 'name: tcp, protocol: TCP')}: istio skips this Gateway server on its gateway proxies: it conflicts with the HTTP server on port 80; istio merges only HTTP servers with a plaintext one (the server is skipped)`,
    ]);
  });

  it('skips a TLS server whose host an earlier TLS server of the port already names', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 443, name: one, protocol: TLS}, hosts: [x.example.com], tls: {mode: PASSTHROUGH}}
  - {port: {number: 443, name: two, protocol: TLS}, hosts: [y.example.com, x.example.com], tls: {mode: SIMPLE, credentialName: c}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: web}
spec:
  hosts: [x.example.com, y.example.com]
  gateways: [istio-system/gw]
  tls: [{match: [{sniHosts: [x.example.com, y.example.com]}], route: [{destination: {host: c}}]}]
  tcp: [{route: [{destination: {host: b}}]}]
`;
    const { model, row } = gatewayRow(yaml);
    // The SIMPLE server (tcp routes) is skipped; the passthrough one takes the tls route, whose filter chain
    // matches the route's sniHosts (both names, buildGatewayNetworkFiltersFromTLSRoutes "sniHosts: match.SniHosts").
    expect(row).toEqual({
      'web/pa': [NON_TCP],
      'web/pb': [NON_TCP],
      'web/pc': [NON_TCP, { protocol: '6', ports: '7070', hosts: ['x.example.com', 'y.example.com'] }],
    });
    expect(model.warnings.filter((w) => w.code === 'ISTIO_GATEWAY_SERVER_SKIPPED').map((w) => w.location?.line)).toEqual([lineOf(yaml, 'name: two')]);
  });

  it('reads a server istio validation refuses (HTTPS without tls) as every route kind applying, and warns at it', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 443, name: https, protocol: HTTPS}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: web}
spec:
  hosts: [a.example.com]
  gateways: [istio-system/gw]
  http: [{route: [{destination: {host: a}}]}]
`;
    const { model, row } = gatewayRow(yaml);
    expect(row['web/pa']).toEqual([NON_TCP, { protocol: '6', ports: '8080', hosts: ['a.example.com'] }]);
    expect(model.warnings.filter((w) => w.code === 'ISTIO_GATEWAY_SERVER_INVALID').map((w) => w.location?.line)).toEqual([lineOf(yaml, 'name: https, protocol: HTTPS')]);
  });

  it('a plaintext server with httpsRedirect forwards nothing for its hosts', () => {
    const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers:
  - {port: {number: 80, name: http, protocol: HTTP}, hosts: [a.example.com], tls: {httpsRedirect: true}}
  - {port: {number: 80, name: http-b, protocol: HTTP}, hosts: [b.example.com]}
  - {port: {number: 443, name: https, protocol: HTTPS}, hosts: [a.example.com], tls: {mode: SIMPLE, credentialName: c, httpsRedirect: true}}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: routes, namespace: web}
spec:
  hosts: [a.example.com, b.example.com]
  gateways: [istio-system/gw]
  http: [{route: [{destination: {host: a}}]}]
`;
    const { row } = gatewayRow(yaml);
    // a.example.com on port 80 is redirected; on 443 (TLS already) it is routed; b.example.com on 80 is routed.
    expect(row['web/pa']).toEqual([NON_TCP, { protocol: '6', ports: '8080', hosts: ['a.example.com', 'b.example.com'] }]);
  });
});

describe('Istio gateway http routes: exportTo, exact hosts over wildcards, first match across VirtualServices', () => {
  const yaml = `---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: wild, namespace: web}
spec:
  hosts: ["*.example.com"]
  gateways: [istio-system/gw]
  http: [{route: [{destination: {host: a}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: api, namespace: web}
spec:
  hosts: [api.example.com]
  gateways: [istio-system/gw]
  http: [{match: [{uri: {prefix: /v1}}], route: [{destination: {host: b}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: private, namespace: web}
spec:
  hosts: [private.example.com]
  gateways: [istio-system/gw]
  exportTo: ["."]
  http: [{route: [{destination: {host: c}}]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: shared, namespace: web}
spec:
  hosts: [shared.example.com]
  gateways: [istio-system/gw]
  exportTo: [".", istio-system]
  http: [{route: [{destination: {host: c}}]}]
`;

  it('the exact virtual host wins over *.example.com (api.example.com outside /v1 goes nowhere); a VirtualService exported to web only is not the gateway\'s', () => {
    const { model, row } = gatewayRow(yaml);
    const reach = (dst: string, host: string, path: string): boolean => {
      const ep = (n: string) => model.topology.endpoints.find((e) => e.name === n)!;
      const port = { 'web/pa': 8080, 'web/pb': 9090, 'web/pc': 7070 }[dst]!;
      return model.gateways.egress(ep('istio-system/gw'), ep(dst)).allowed.contains([6, 40000, port, 0, 0, 0, model.paths.classOf(path)!, model.hosts.classOf(host)!, 0]);
    };
    const table = ['x.example.com', 'api.example.com', 'private.example.com', 'shared.example.com', 'other.org'].map((host) => [host, ...['/v1/x', '/'].flatMap((path) => ['web/pa', 'web/pb', 'web/pc'].filter((dst) => reach(dst, host, path)).map((dst) => `${path}->${dst}`))]);
    expect(table).toEqual([
      ['x.example.com', '/v1/x->web/pa', '/->web/pa'],
      ['api.example.com', '/v1/x->web/pb'],
      ['private.example.com', '/v1/x->web/pa', '/->web/pa'],
      ['shared.example.com', '/v1/x->web/pc', '/->web/pc'],
      ['other.org'],
    ]);
    expect(row['web/pb']).toEqual([NON_TCP, { protocol: '6', ports: '9090', paths: ['/v1', '/v1/*'], hosts: ['api.example.com'] }]);
    expect(row['web/pc']).toEqual([NON_TCP, { protocol: '6', ports: '7070', hosts: ['shared.example.com'] }]);
  });

  it('an exportTo entry istio refuses is an input error at its line and column', () => {
    const bad = yaml.replace('exportTo: [".", istio-system]', 'exportTo: ["~"]');
    const model = buildMeshModel(loadText('gw.yaml', TOPOLOGY + bad).resources);
    expect(model.errors.map((e) => `${e.location?.line}:${e.location?.column} ${e.code}: ${e.message}`)).toEqual([
      `${lineOf(bad, 'exportTo: ["~"]')}:14 ISTIO_INVALID_FIELD: invalid field value: an exportTo entry is ".", "*" or a namespace name, got "~"`,
    ]);
  });
});
