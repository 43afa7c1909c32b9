import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

/** PeerAuthentication: STRICT refuses plaintext TCP, DISABLE removes identity, the most specific policy wins. */

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: server, namespace: ns, labels: {app: server}}
spec: {serviceAccountName: server, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ns, labels: {app: client}}
spec: {serviceAccountName: client, containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: legacy, namespace: ns, labels: {app: legacy}, annotations: {sidecar.istio.io/inject: "false"}}
spec: {serviceAccountName: client, containers: [{name: c, image: x}]}
`;

function setup(policies: string) {
  const model = buildMeshModel(loadText('in.yaml', `${PODS}\n---\n${policies}`).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const ep = (n: string) => model.topology.endpoints.find((e) => e.name === `ns/${n}`)!;
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  const can = (src: string, proto: number, port: number): boolean => allowedBetween(model, src === 'outside' ? IpSet.all(4) : ep(src), ep('server')).contains([proto, 1000, port, 0, 0, 0, 0, 0, 0]);
  return can;
}

describe('Istio PeerAuthentication', () => {
  it('STRICT: plaintext clients (outside addresses, pods without a sidecar) lose TCP, keep UDP; mesh clients keep everything', () => {
    const can = setup(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: ns}
spec: {mtls: {mode: STRICT}}
`);
    expect([can('outside', 6, 80), can('legacy', 6, 80), can('client', 6, 80), can('outside', 17, 53), can('legacy', 17, 53)]).toEqual([false, false, true, true, true]);
  });

  it('a workload policy beats the namespace one, and its portLevelMtls beats its own mode', () => {
    const can = setup(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: ns}
spec: {mtls: {mode: PERMISSIVE}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  mtls: {mode: STRICT}
  portLevelMtls: {"8080": {mode: PERMISSIVE}}
`);
    expect([can('outside', 6, 8080), can('outside', 6, 8081), can('legacy', 6, 443)]).toEqual([true, false, false]);
  });

  it('DISABLE: a rule by principal does not match where there is no mTLS', () => {
    const can = setup(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  portLevelMtls: {"9090": {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{from: [{source: {principals: [cluster.local/ns/ns/sa/client]}}]}]
`);
    expect([can('client', 6, 8080), can('client', 6, 9090), can('legacy', 6, 8080)]).toEqual([true, false, false]);
  });

  // istio.io ISTIO-SECURITY-2021-004: principals, notPrincipals, namespaces and notNamespaces read the mTLS
  // certificate; in plaintext they see an empty value, so with `notNamespaces: ["foo"]` "a plain text request
  // from the namespace foo will actually be allowed". A not* field alone matches plaintext (was: never).
  it('a not* source alone matches plaintext sources (empty identity): ALLOW notNamespaces admits the pod without a sidecar and outside addresses; DENY notPrincipals ["*"] refuses them', () => {
    const allowNotNs = setup(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{from: [{source: {notNamespaces: [ns]}}]}]
`);
    // client has its identity (namespace ns): excluded; legacy and outside have none: admitted.
    expect([allowNotNs('client', 6, 80), allowNotNs('legacy', 6, 80), allowNotNs('outside', 6, 80)]).toEqual([false, true, true]);
    const denyPlaintext = setup(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: mtls-only, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  action: DENY
  rules: [{from: [{source: {notPrincipals: ["*"]}}]}]
`);
    expect([denyPlaintext('client', 6, 80), denyPlaintext('legacy', 6, 80), denyPlaintext('outside', 6, 80), denyPlaintext('legacy', 17, 53)]).toEqual([true, false, false, true]);
    // A positive field still needs the certificate, beside a not* field too.
    const positive = setup(`
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{from: [{source: {namespaces: ["*"], notPrincipals: [cluster.local/ns/ns/sa/server]}}]}]
`);
    expect([positive('client', 6, 80), positive('legacy', 6, 80), positive('outside', 6, 80)]).toEqual([true, false, false]);
  });

  it('where mTLS is off (DISABLE), every source is plaintext: a not* source matches the pods it excludes by identity there, and only there', () => {
    const can = setup(`
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  portLevelMtls: {"9090": {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  rules: [{from: [{source: {notPrincipals: [cluster.local/ns/ns/sa/client]}}]}]
`);
    expect([can('client', 6, 8080), can('client', 6, 9090), can('legacy', 6, 8080), can('outside', 6, 9090)]).toEqual([false, true, true, true]);
  });

  it('of two namespace-wide policies the oldest applies (creationTimestamp, then name, as istio sorts configs), whatever the document order', () => {
    const policy = (name: string, mode: string, created?: string): string =>
      `apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: ${name}, namespace: ns${created ? `, creationTimestamp: "${created}"` : ''}}\nspec: {mtls: {mode: ${mode}}}`;
    const older = policy('b', 'STRICT', '2024-01-01T00:00:00Z');
    const newer = policy('a', 'DISABLE', '2025-01-01T00:00:00Z');
    for (const docs of [[older, newer], [newer, older]]) expect(setup(docs.join('\n---\n'))('outside', 6, 80)).toBe(false);
    // Without creation times, the name decides: "a" (DISABLE) before "b" (STRICT).
    const a = policy('a', 'DISABLE');
    const b = policy('b', 'STRICT');
    for (const docs of [[a, b], [b, a]]) expect(setup(docs.join('\n---\n'))('outside', 6, 80)).toBe(true);
  });

  it('refuses an unknown mode, with its place', () => {
    const model = buildMeshModel(loadText('in.yaml', `${PODS}\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: x, namespace: ns}\nspec: {mtls: {mode: STRICTER}}\n`).resources);
    expect(model.errors.map((e) => `${e.code} ${e.location?.line}:${e.location?.column}`)).toEqual(['ISTIO_INVALID_MTLS_MODE 21:15']);
  });
});
