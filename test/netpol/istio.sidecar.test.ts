import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { sidecarHostMatches } from '../../src/netpol/istio/sidecar.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel, meshMatrix } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

/** Istio Sidecar egress hosts and ServiceEntry destinations (istio.io Sidecar and ServiceEntry references). */

const pod = (ns: string, name: string, app: string, extra = ''): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}${extra}}
spec: {containers: [{name: c, image: x}]}`;
const svc = (ns: string, name: string, app: string): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${ns}}
spec: {selector: {app: ${app}}, ports: [{port: 80}]}`;

const TOPOLOGY = [
  pod('a', 'web', 'web'),
  pod('a', 'api', 'api'),
  pod('a', 'legacy', 'legacy', ', annotations: {sidecar.istio.io/inject: "false"}'),
  pod('b', 'db', 'db'),
  svc('a', 'web', 'web'),
  svc('a', 'api', 'api'),
  svc('a', 'legacy', 'legacy'),
  svc('b', 'db', 'db'),
  `apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: a}
spec: {hosts: [api.example.com, "*.wiki.org"], exportTo: ["."], resolution: NONE}`,
].join('\n---\n');

/** The 1-based line of the first line of `text` that contains `needle`. */
const lineOf = (text: string, needle: string): string => String(text.split('\n').findIndex((l) => l.includes(needle)) + 1);

function setup(policies: string) {
  const model = buildMeshModel(loadText('in.yaml', `${TOPOLOGY}\n---\n${policies}`).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const ep = (n: string): Endpoint => [...model.topology.endpoints, ...model.sidecars.dnsEntries].find((e) => e.name === n)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (src: string, dst: string, proto = 6): boolean => allowedBetween(model, ep(src), dst === 'outside' ? IpSet.all(4) : ep(dst)).contains([proto, 1000, 80, 0, 0, 0, 0, 0, 0]);
  return { model, can };
}

describe('Istio Sidecar egress', () => {
  it('the workload Sidecar beats the namespace default, which beats the root default; `.` is the pod\'s own namespace', () => {
    const { can } = setup(`
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: istio-system}
spec: {egress: [{hosts: ["./*"]}]}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: a}
spec: {egress: [{hosts: ["b/db.b.svc.cluster.local"]}]}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: web, namespace: a}
spec: {workloadSelector: {labels: {app: web}}, egress: [{hosts: ["./api.a.svc.cluster.local"]}]}
`);
    // web: only api; api (namespace default): only db; db (root default, "./*"): its own namespace only.
    expect([can('a/web', 'a/api'), can('a/web', 'b/db'), can('a/api', 'b/db'), can('a/api', 'a/web'), can('b/db', 'a/web')]).toEqual([true, false, true, false, false]);
    // Non-TCP is not the proxy's; addresses outside stay open under ALLOW_ANY; pods without a proxy are not limited.
    expect([can('a/web', 'b/db', 17), can('a/web', 'outside'), can('a/legacy', 'b/db')]).toEqual([true, true, true]);
  });

  it('`~ns/dnsName` excludes hosts from what the other entries import; a bare `~` is every namespace (istio/api sidecar.proto b8f8791, istio/istio pilot/pkg/model/sidecar.go selectServices 86c9f01)', () => {
    const { can } = setup(`
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: a}
spec: {egress: [{hosts: ["*/*", "~b/*", "~/api.example.com", "~./web.a.svc.cluster.local"]}]}
`);
    // Imported by */*, then: b's services, api.example.com (any namespace) and a's web are carved out; api and *.wiki.org stay.
    const dsts = ['a/web', 'a/api', 'b/db', 'dns:api.example.com', 'dns:*.wiki.org'];
    expect(dsts.filter((d) => can('a/api', d))).toEqual(['a/api', 'dns:*.wiki.org']);
    // An exclusion alone imports nothing: `~/*` is "no outbound" as the reference says.
    const none = setup(`
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: a}
spec: {egress: [{hosts: ["~/*"]}]}
`);
    expect(['a/api', 'b/db', 'dns:api.example.com'].map((d) => none.can('a/web', d))).toEqual([false, false, false]);
  });

  it('REGISTRY_ONLY closes TCP to addresses outside the mesh, also with the default egress; ALLOW_ANY with hosts warns', () => {
    const POLICIES = `
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: a}
spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: b}
spec: {egress: [{hosts: ["*/*"]}]}
`;
    const { can, model } = setup(POLICIES);
    expect([can('a/web', 'outside'), can('a/web', 'outside', 17), can('a/web', 'b/db'), can('b/db', 'outside')]).toEqual([false, true, true, true]);
    expect(model.warnings.filter((w) => w.code === 'ISTIO_SIDECAR_ALLOW_ANY').map((w) => `${w.location?.line}`)).toEqual([lineOf(`${TOPOLOGY}\n---\n${POLICIES}`, '"*/*"')]);
  });

  it('ServiceEntry hosts are TCP destinations for pods their exportTo reaches, selected by exact or wildcard Sidecar hosts', () => {
    const { can, model } = setup(`
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: web, namespace: a}
spec: {workloadSelector: {labels: {app: web}}, egress: [{hosts: ["*/*.example.com"]}]}
`);
    expect(model.sidecars.dnsEntries.map((e) => e.name)).toEqual(['dns:api.example.com', 'dns:*.wiki.org']);
    expect([can('a/web', 'dns:api.example.com'), can('a/web', 'dns:*.wiki.org'), can('a/api', 'dns:*.wiki.org'), can('a/api', 'dns:api.example.com', 17)]).toEqual([true, false, true, false]);
    // exportTo ".": not visible from namespace b.
    expect(can('b/db', 'dns:api.example.com')).toBe(false);
    const names = meshMatrix(model, 'pod').filter((c) => c.dst.startsWith('dns:') || c.src.startsWith('dns:'));
    expect(names.every((c) => c.conns !== 'All' && c.conns.every((e) => e.protocol === '6'))).toBe(true);
    expect(names.some((c) => c.src.startsWith('dns:'))).toBe(false);
  });

  it('invalid hosts, modes and ambiguous Sidecars are input errors with their line', () => {
    const text = `${TOPOLOGY}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: one, namespace: a}
spec: {egress: [{hosts: ["details.a.svc.cluster.local", "a*/x.y"]}], outboundTrafficPolicy: {mode: DENY}}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: d1, namespace: b}
spec: {}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: d2, namespace: b}
spec: {}
---
apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: root, namespace: istio-system}
spec: {workloadSelector: {labels: {app: web}}}
`;
    const model = buildMeshModel(loadText('in.yaml', text).resources);
    const one = lineOf(text, 'a*/x.y');
    expect(model.errors.map((e) => `${e.code} ${e.location?.line}`)).toEqual([
      `ISTIO_INVALID_HOST ${one}`,
      `ISTIO_INVALID_HOST ${one}`,
      `ISTIO_INVALID_FIELD ${one}`,
      `ISTIO_SIDECAR_AMBIGUOUS ${lineOf(text, 'name: d2')}`,
      `ISTIO_CONFLICTING_FIELDS ${lineOf(text, 'spec: {workloadSelector: {labels: {app: web}}}')}`,
    ]);
  });
});

describe('Sidecar host matching against a naive reading', () => {
  const label = fc.constantFrom('a', 'b', 'api', 'x-1');
  const name = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => l.join('.'));
  const pattern = fc.oneof(fc.constant('*'), name.map((n) => `*.${n}`), name);
  const host = fc.oneof(name, name.map((n) => `*.${n}`));
  // Naive: a name matches `*` always, `*.s` when it ends with `.s`, a name when equal; a wildcard host
  // `*.s` is covered when names it stands for, made with labels no pattern uses, all match.
  const matchName = (p: string, n: string): boolean => p === '*' || (p.startsWith('*.') ? n.endsWith(p.slice(1)) : n === p);
  const covers = (p: string, h: string): boolean => (h.startsWith('*.') ? ['zz', 'zz.zz'].map((l) => `${l}${h.slice(1)}`) : [h]).every((n) => matchName(p, n));
  it('matches exactly the hosts whose names the pattern covers', () => {
    fc.assert(
      fc.property(pattern, host, (p, h) => sidecarHostMatches(p, h) === covers(p, h)),
      { numRuns: 300 },
    );
  });
});
