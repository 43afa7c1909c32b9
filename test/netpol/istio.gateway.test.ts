import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

/** Istio ingress gateways: the gateway pods send TCP only along the VirtualService routes bound to them. */

const TOPOLOGY = `
apiVersion: v1
kind: Pod
metadata: {name: gw, namespace: istio-system, labels: {istio: ingressgateway}}
spec: {containers: [{name: istio-proxy, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: ml, labels: {app: model}}
spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: admin, namespace: ml, labels: {app: admin}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Service
metadata: {name: model, namespace: ml}
spec: {selector: {app: model}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: public, namespace: istio-system}
spec:
  selector: {istio: ingressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["models.example.com", "other.example.com"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: model, namespace: ml}
spec:
  hosts: [models.example.com]
  gateways: [istio-system/public]
  http:
  - match: [{uri: {prefix: /v1/models}, method: {exact: POST}}]
    route: [{destination: {host: model, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: internal, namespace: ml}
spec:
  hosts: [admin]
  http: [{route: [{destination: {host: admin}}]}]
`;

describe('Istio ingress gateway (Gateway + VirtualService)', () => {
  it('routes the hosts both name, the URI prefix and method, on the target port; non-TCP stays; mesh routes limit nothing', () => {
    const model = buildMeshModel(loadText('in.yaml', TOPOLOGY).resources);
    expect(model.errors.map((e) => e.message)).toEqual([]);
    const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
    const post = METHODS.indexOf('POST');
    const get = METHODS.indexOf('GET');
    // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
    const can = (dst: string, port: number, method: number, path: string, host: string, proto = 6): boolean =>
      allowedBetween(model, ep('istio-system/gw'), dst === 'outside' ? IpSet.all(4) : ep(dst)).contains([proto, 1000, port, 0, 0, method, model.paths.classOf(path)!, model.hosts.classOf(host)!, 0]);
    expect([can('ml/model', 8080, post, '/v1/models/iris:predict', 'models.example.com'), can('ml/model', 8080, post, '/v1/models', 'models.example.com')]).toEqual([true, true]);
    expect([can('ml/model', 8080, get, '/v1/models', 'models.example.com'), can('ml/model', 8080, post, '/v1/modelsx', 'models.example.com'), can('ml/model', 8080, post, '/v1/models', 'other.example.com'), can('ml/model', 80, post, '/v1/models', 'models.example.com')]).toEqual([false, false, false, false]);
    expect([can('ml/admin', 80, get, '/', 'admin'), can('outside', 443, get, '/', 'x'), can('ml/admin', 53, 0, '/', 'x', 17)]).toEqual([false, false, true]);
    // The mesh-only VirtualService leaves other pods alone.
    expect(allowedBetween(model, ep('ml/model'), ep('ml/admin')).isAll()).toBe(true);
  });

  it("assumes Istio's standard ingress gateway pod when a Gateway selects labels no pod of the input has, and says so", () => {
    const withoutPod = TOPOLOGY.replace(/apiVersion: v1\nkind: Pod\nmetadata: \{name: gw[^]*?---\n/, '');
    const model = buildMeshModel(loadText('in.yaml', withoutPod).resources);
    expect(model.errors.map((e) => e.message)).toEqual([]);
    expect(model.topology.endpoints.map((e) => e.name).sort()).toEqual(['istio-system/istio-ingressgateway-livesim', 'ml/admin', 'ml/model']);
    expect(model.warnings.filter((w) => w.code === 'ISTIO_GATEWAY_ASSUMED').map((w) => `${w.location?.file}:${w.location?.line}`)).toEqual([`in.yaml:${withoutPod.split('\n').findIndex((l) => l.includes('selector: {istio: ingressgateway}')) + 1}`]);
    const gw = model.topology.endpoints.find((e) => e.name === 'istio-system/istio-ingressgateway-livesim')!;
    const model0 = model.topology.endpoints.find((e) => e.name === 'ml/model')!;
    expect(allowedBetween(model, gw, model0).isAll()).toBe(false);
  });
});
