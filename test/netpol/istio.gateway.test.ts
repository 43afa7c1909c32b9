import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { explainMesh } from '../../src/netpol/layers/explain.js';
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

  it('a method regex that does not compile is an input error at its place, not a crash (found by the netpol fuzz target)', () => {
    const text = TOPOLOGY.replace('method: {exact: POST}', 'method: {regex: "("}');
    const model = buildMeshModel(loadText('in.yaml', text).resources);
    // line 36: `  - match: [{uri: {prefix: /v1/models}, method: {regex: "("}}]`, column 50 the regex key
    expect(model.errors.map((e) => [e.code, e.format()])).toEqual([['ISTIO_INVALID_FIELD', 'in.yaml:36:50: invalid field value: "(" is not a valid regular expression']]);
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

/**
 * Istio egress gateways (istio.io "Egress Gateways" task, NCA IstioGatewayPolicyGenerator): the mesh
 * routes a host to the egress gateway, the gateway routes it to the ServiceEntry host.
 */
const EGRESS = `
apiVersion: v1
kind: Pod
metadata: {name: egw, namespace: istio-system, labels: {istio: egressgateway}}
spec: {containers: [{name: istio-proxy, image: x, ports: [{name: https, containerPort: 8443}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: istio-egressgateway, namespace: istio-system}
spec: {selector: {istio: egressgateway}, ports: [{name: https, port: 443, targetPort: 8443}]}
---
apiVersion: v1
kind: Pod
metadata: {name: trainer, namespace: ml, labels: {app: trainer}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: ml, labels: {app: other}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: hub, namespace: ml}
spec: {hosts: [models.hub.example, mirror.example], ports: [{number: 443, name: tls, protocol: TLS}], resolution: DNS}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: egress, namespace: istio-system}
spec:
  selector: {istio: egressgateway}
  servers: [{port: {number: 443, name: tls, protocol: TLS}, hosts: [models.hub.example], tls: {mode: PASSTHROUGH}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: hub, namespace: ml}
spec:
  hosts: [models.hub.example]
  gateways: [mesh, istio-system/egress]
  tls:
  - match: [{gateways: [mesh], port: 443, sniHosts: [models.hub.example]}]
    route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local, port: {number: 443}}}]
  - match: [{gateways: [istio-system/egress], port: 443, sniHosts: [models.hub.example]}]
    route: [{destination: {host: models.hub.example, port: {number: 443}}}]
`;

describe('Istio egress gateway flow (mesh -> egress gateway -> ServiceEntry host)', () => {
  const model = buildMeshModel(loadText('in.yaml', EGRESS).resources);
  const ep = (n: string): Endpoint => [...model.topology.endpoints, ...model.sidecars.dnsEntries].find((e) => e.name === n)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (src: Endpoint | IpSet, dst: string, port: number, host: string, proto = 6): boolean => allowedBetween(model, src, ep(dst)).contains([proto, 1000, port, 0, 0, 0, 0, model.hosts.classOf(host)!, 0]);

  it('the host is reached through the gateway only: pods reach the gateway on its target port for the SNI host, the gateway reaches the host on the routed port', () => {
    expect(model.errors.map((e) => e.message)).toEqual([]);
    expect(model.warnings.map((w) => w.code).filter((c) => c.includes('EGRESS'))).toEqual([]);
    const trainer = ep('ml/trainer');
    const gw = ep('istio-system/egw');
    // Into the gateway: TCP from any pod on 8443 (the Service port 443's target) with SNI models.hub.example only; non-TCP stays.
    expect([can(trainer, 'istio-system/egw', 8443, 'models.hub.example'), can(ep('ml/other'), 'istio-system/egw', 8443, 'models.hub.example')]).toEqual([true, true]);
    expect([can(trainer, 'istio-system/egw', 443, 'models.hub.example'), can(trainer, 'istio-system/egw', 8443, 'mirror.example'), can(IpSet.all(4), 'istio-system/egw', 8443, 'models.hub.example')]).toEqual([false, false, false]);
    expect(can(trainer, 'istio-system/egw', 53, 'x', 17)).toBe(true);
    // Out of the gateway: the host on 443 for its name, nothing else over TCP.
    expect([can(gw, 'dns:models.hub.example', 443, 'models.hub.example'), can(gw, 'dns:models.hub.example', 80, 'models.hub.example'), can(gw, 'dns:mirror.example', 443, 'mirror.example'), can(gw, 'ml/trainer', 80, 'x')]).toEqual([true, false, false, false]);
    expect(can(gw, 'ml/trainer', 53, 'x', 17)).toBe(true);
    // Other pods lose their direct TCP to the routed host, and keep the hosts no flow routes.
    expect([can(trainer, 'dns:models.hub.example', 443, 'models.hub.example'), can(trainer, 'dns:mirror.example', 443, 'mirror.example')]).toEqual([false, true]);
  });

  it('explain names the VirtualService route that reserves the host for the gateway, with its line', () => {
    const e = explainMesh(model, ep('ml/trainer'), ep('dns:models.hub.example'));
    expect(e.allowed).toBe(false);
    const layer = e.layers.find((l) => l.layer === 'Istio Gateway')!;
    const line = EGRESS.split('\n').findIndex((l) => l.includes('gateways: [istio-system/egress], port: 443')) + 1;
    expect(layer.steps.map((s) => [s.action, s.rule, s.location?.line])).toEqual([['Deny', 'VirtualService ml/hub tls[1] via Gateway istio-system/egress: the host is reached through the egress gateway only', line]]);
  });

  it('half a flow (no route from the mesh to the gateway) is reported and changes nothing', () => {
    const half = EGRESS.replace(/  - match: \[\{gateways: \[mesh\][^]*?cluster\.local, port: \{number: 443\}\}\}\]\n/, '');
    const m = buildMeshModel(loadText('in.yaml', half).resources);
    expect(m.errors).toEqual([]);
    expect(m.warnings.filter((w) => w.code === 'ISTIO_EGRESS_FLOW_PARTIAL').map((w) => w.message)).toEqual(['half an egress-gateway flow (mesh to egress gateway, egress gateway to a ServiceEntry host): the flow is ignored: no route of the mesh leads to the egress gateway']);
    const e = (n: string): Endpoint => [...m.topology.endpoints, ...m.sidecars.dnsEntries].find((x) => x.name === n)!;
    expect(allowedBetween(m, e('ml/trainer'), e('istio-system/egw')).isAll()).toBe(true);
    expect(allowedBetween(m, e('ml/trainer'), e('dns:models.hub.example')).isEmpty()).toBe(false);
  });
});
