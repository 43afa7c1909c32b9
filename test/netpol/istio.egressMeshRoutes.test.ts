import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadText } from '../../src/core/load.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * The mesh's routes to an egress gateway follow istio's sidecar route building (istio/istio master 86c9f01):
 * a sidecar in namespace N reads VirtualServicesForGateway(N, "mesh") (pilot/pkg/model/push_context.go: exported
 * from N, then exported to N, then public, each by creation time, name, namespace), each VirtualService builds one
 * virtual host and a host an earlier one named is dropped from it (pilot/pkg/networking/core/httproute.go
 * BuildSidecarOutboundVirtualHosts, dedupeDomains), Envoy picks exact > longest `*.suffix` > `*`.
 */

const BASE = `
apiVersion: v1
kind: Pod
metadata: {name: egw, namespace: istio-system, labels: {istio: egressgateway}}
spec: {containers: [{name: istio-proxy, image: x, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: istio-egressgateway, namespace: istio-system}
spec: {selector: {istio: egressgateway}, ports: [{name: http, port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Pod
metadata: {name: squid, namespace: ml, labels: {app: squid}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 3128}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: squid, namespace: ml}
spec: {selector: {app: squid}, ports: [{port: 3128}]}
---
apiVersion: v1
kind: Pod
metadata: {name: trainer, namespace: ml, labels: {app: trainer}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: job, namespace: team, labels: {app: job}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: ml}
spec: {hosts: [api.example.com, data.example.com, other.org], ports: [{number: 80, name: http, protocol: HTTP}], resolution: DNS}
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: egress, namespace: istio-system}
spec:
  selector: {istio: egressgateway}
  servers: [{port: {number: 80, name: http, protocol: HTTP}, hosts: ["*"]}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: out, namespace: istio-system}
spec:
  hosts: ["*"]
  gateways: [egress]
  http: [{route: [{destination: {host: api.example.com, port: {number: 80}}}]}]
`;

/** A mesh VirtualService: its hosts, where it sends them (the egress gateway or squid), its creation time and exportTo. */
interface MeshVs {
  name: string;
  namespace: string;
  hosts: string[];
  toGateway: boolean;
  created: string;
  exportTo?: readonly string[];
  /** A first route on one URI prefix to squid (the rest goes where `toGateway` says). */
  prefixToSquid?: string;
}

const vsYaml = (v: MeshVs): string => `
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ${v.name}, namespace: ${v.namespace}, creationTimestamp: "${v.created}"}
spec:
  hosts: ${JSON.stringify(v.hosts)}
  ${v.exportTo ? `exportTo: ${JSON.stringify(v.exportTo)}` : ''}
  http:
  ${v.prefixToSquid ? `- match: [{uri: {prefix: ${v.prefixToSquid}}}]\n    route: [{destination: {host: squid.ml.svc.cluster.local}}]` : ''}
  - route: [{destination: {host: ${v.toGateway ? 'istio-egressgateway.istio-system.svc.cluster.local' : 'squid.ml.svc.cluster.local'}}}]
`;

function modelOf(vss: readonly MeshVs[]): { can: (src: string, host: string, path?: string) => boolean; warnings: string[]; errors: string[] } {
  const model = buildMeshModel(loadText('in.yaml', BASE + vss.map(vsYaml).join('')).resources);
  const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
  const egw = ep('istio-system/egw');
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (src: string, host: string, path = '/x'): boolean => allowedBetween(model, ep(src), egw).contains([6, 1000, 8080, 0, 0, 0, model.paths.classOf(path)!, model.hosts.classOf(host)!, 0]);
  return { can, warnings: model.warnings.map((w) => w.code), errors: model.errors.map((e) => e.message) };
}

const SOURCES = ['ml/trainer', 'team/job'] as const;
const HOSTS = ['api.example.com', 'data.example.com', 'other.org'] as const;
const matrix = (can: (src: string, host: string) => boolean): string[] => SOURCES.flatMap((s) => HOSTS.filter((h) => can(s, h)).map((h) => `${s} -> ${h}`));

describe('mesh routes to an egress gateway: the first VirtualService naming a host takes it (sidecar dedupeDomains)', () => {
  it('an earlier VirtualService naming api.example.com keeps it from a later *.example.com one that leads to the gateway', () => {
    const m = modelOf([
      { name: 'a-proxy', namespace: 'ml', hosts: ['api.example.com'], toGateway: false, created: '2026-01-01T00:00:00Z' },
      { name: 'b-egress', namespace: 'ml', hosts: ['api.example.com', '*.example.com'], toGateway: true, created: '2026-01-02T00:00:00Z' },
    ]);
    expect(m.errors).toEqual([]);
    expect(m.warnings.filter((c) => c.includes('EGRESS'))).toEqual([]);
    expect(matrix(m.can)).toEqual(['ml/trainer -> data.example.com', 'team/job -> data.example.com']);
  });

  it('created the other way round, the gateway VirtualService takes both hosts (the exact one and the wildcard)', () => {
    const m = modelOf([
      { name: 'a-proxy', namespace: 'ml', hosts: ['api.example.com'], toGateway: false, created: '2026-01-03T00:00:00Z' },
      { name: 'b-egress', namespace: 'ml', hosts: ['api.example.com', '*.example.com'], toGateway: true, created: '2026-01-02T00:00:00Z' },
    ]);
    expect(matrix(m.can)).toEqual(['ml/trainer -> api.example.com', 'ml/trainer -> data.example.com', 'team/job -> api.example.com', 'team/job -> data.example.com']);
  });

  it('exact beats wildcard whatever the order: a later exact VirtualService to squid takes api.example.com from an earlier *.example.com', () => {
    const m = modelOf([
      { name: 'wild', namespace: 'ml', hosts: ['*.example.com'], toGateway: true, created: '2026-01-01T00:00:00Z' },
      { name: 'api', namespace: 'ml', hosts: ['api.example.com'], toGateway: false, created: '2026-01-02T00:00:00Z' },
    ]);
    expect(matrix(m.can)).toEqual(['ml/trainer -> data.example.com', 'team/job -> data.example.com']);
  });

  it("a VirtualService exported to its own namespace comes first there, and is not seen elsewhere (push_context.go privateByNamespaceAndGateway)", () => {
    const m = modelOf([
      { name: 'a-proxy', namespace: 'ml', hosts: ['api.example.com'], toGateway: false, created: '2026-01-01T00:00:00Z' },
      { name: 'z-team', namespace: 'team', hosts: ['api.example.com'], toGateway: true, created: '2026-01-05T00:00:00Z', exportTo: ['.'] },
    ]);
    expect(matrix(m.can)).toEqual(['team/job -> api.example.com']);
  });

  it('within the owning VirtualService the first matching route wins: /v1 goes to squid, the rest to the gateway', () => {
    const m = modelOf([{ name: 'egress', namespace: 'ml', hosts: ['api.example.com'], toGateway: true, created: '2026-01-01T00:00:00Z', prefixToSquid: '/v1' }]);
    expect([m.can('ml/trainer', 'api.example.com', '/v1/models'), m.can('ml/trainer', 'api.example.com', '/v2'), m.can('ml/trainer', 'data.example.com', '/v2')]).toEqual([false, true, false]);
  });

  it("a VirtualService not bound to the mesh routes no sidecar, even with a match item naming mesh (push_context.go getGatewayNames): the flow is half", () => {
    const yaml = `${BASE}
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: hub, namespace: ml}
spec:
  hosts: [api.example.com]
  gateways: [istio-system/egress]
  http: [{match: [{gateways: [mesh]}], route: [{destination: {host: istio-egressgateway.istio-system.svc.cluster.local}}]}]
`;
    const model = buildMeshModel(loadText('in.yaml', yaml).resources);
    expect(model.warnings.filter((w) => w.code === 'ISTIO_EGRESS_FLOW_PARTIAL').map((w) => w.message)).toEqual(['half an egress-gateway flow (mesh to egress gateway, egress gateway to a ServiceEntry host): the flow is ignored: no route of the mesh leads to the egress gateway']);
    const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
    expect(allowedBetween(model, ep('ml/trainer'), ep('istio-system/egw')).isAll()).toBe(true);
  });

  it('property: for random mesh VirtualServices, a pod reaches the gateway for a host exactly when the naive per-host reading sends it there', () => {
    const HOST_POOL = ['api.example.com', 'data.example.com', '*.example.com', 'other.org', '*'];
    const arb = fc.array(
      fc.record({
        namespace: fc.constantFrom('ml', 'team'),
        hosts: fc.uniqueArray(fc.constantFrom(...HOST_POOL), { minLength: 1, maxLength: 3 }),
        toGateway: fc.boolean(),
        day: fc.integer({ min: 1, max: 3 }),
        exportTo: fc.constantFrom(undefined, ['.'], ['*'], ['ml'], ['team']),
      }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const vss: MeshVs[] = raw.map((v, i) => ({ name: `vs${i}`, namespace: v.namespace, hosts: v.hosts, toGateway: v.toGateway, created: `2026-01-0${v.day}T00:00:00Z`, ...(v.exportTo ? { exportTo: v.exportTo } : {}) }));
        const m = modelOf(vss);
        // The naive reading, per source namespace and host: the VirtualServices the namespace sees, in order;
        // each host string belongs to the first that names it; the Host goes to the exact string, else the
        // longest matching *.suffix, else `*`; allowed iff its owner leads to the gateway.
        const naive = (srcNs: string, h: string): boolean => {
          const seen = vss
            .map((v) => {
              const e = v.exportTo?.map((x) => (x === '.' ? v.namespace : x));
              const rank = !e || e.includes('*') ? 2 : !e.includes(srcNs) ? undefined : v.namespace === srcNs ? 0 : 1;
              return { v, rank };
            })
            .filter((x) => x.rank !== undefined)
            .sort((a, b) => a.rank! - b.rank! || (a.v.created < b.v.created ? -1 : a.v.created > b.v.created ? 1 : a.v.name < b.v.name ? -1 : a.v.name > b.v.name ? 1 : a.v.namespace < b.v.namespace ? -1 : a.v.namespace > b.v.namespace ? 1 : 0))
            .map((x) => x.v);
          const owner = new Map<string, MeshVs>();
          for (const v of seen) for (const x of v.hosts) if (!owner.has(x)) owner.set(x, v);
          const suffixes = [...owner.keys()].filter((x) => x.startsWith('*.') && h.endsWith(x.slice(1))).sort((a, b) => b.length - a.length);
          const chosen = owner.has(h) ? h : (suffixes[0] ?? (owner.has('*') ? '*' : undefined));
          return chosen !== undefined && owner.get(chosen)!.toGateway;
        };
        const got = matrix(m.can);
        const want = SOURCES.flatMap((s) => HOSTS.filter((h) => naive(s.split('/')[0]!, h)).map((h) => `${s} -> ${h}`));
        // Without any mesh route that reaches the gateway the flow is half and the gateway is not limited.
        if (want.length === 0 && got.length === SOURCES.length * HOSTS.length) return;
        expect(got).toEqual(want);
      }),
      { numRuns: 60 },
    );
  });
});
