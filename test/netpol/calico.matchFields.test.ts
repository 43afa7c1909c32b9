import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { METHODS } from '../../src/netpol/layers/connSet.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';

/**
 * Calico rule match fields are AND'ed ("each positive match criteria ... and each negative match
 * criteria ... must be satisfied", docs.tigera.io Rule reference), and ICMPFields' `type` and `code`
 * are *int in libcalico-go: only absence means "any". So `protocol: TCP` with `notProtocol: UDP` is
 * TCP, and `icmp: {type: 0}` is Echo Reply only. (network-config-analyzer reads the first as nothing
 * and the second as any type; none of the conformance cases depends on either reading.)
 */
const pods = (ingress: string): string => `
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: ml, labels: {app: model}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ml, labels: {app: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: model, namespace: ml}
spec:
  selector: app == 'model'
  types: [Ingress]
  ingress:
${ingress}
`;

function allows(text: string): (proto: number, port: number, icmpType?: number, icmpCode?: number) => boolean {
  const model = buildMeshModel(loadText('in.yaml', text).resources);
  expect(model.errors.map((e) => e.message)).toEqual([]);
  const ep = (n: string): Endpoint => model.topology.endpoints.find((e) => e.name === n)!;
  const set = allowedBetween(model, ep('ml/client'), ep('ml/model'));
  // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
  return (proto, port, icmpType = 0, icmpCode = 0) => set.contains([proto, 1000, port, icmpType, icmpCode, METHODS.indexOf('GET'), model.paths.classOf('/') ?? 0, 0, 0]);
}

describe('Calico rule match fields', () => {
  it('protocol with a different notProtocol is the protocol; with the same one it matches nothing', () => {
    const tcp = allows(pods(`  - action: Allow
    protocol: TCP
    notProtocol: UDP
    destination: {ports: [8080]}`));
    expect([tcp(6, 8080), tcp(6, 8081), tcp(17, 8080)]).toEqual([true, false, false]);
    const none = allows(pods(`  - action: Allow
    protocol: TCP
    notProtocol: TCP`));
    expect([none(6, 8080), none(17, 53), none(1, 1, 8)]).toEqual([false, false, false]);
  });

  it('icmp type 0 is Echo Reply, not any type; code 0 is code 0', () => {
    const reply = allows(pods(`  - action: Allow
    protocol: ICMP
    icmp: {type: 0}`));
    expect([reply(1, 1, 0, 0), reply(1, 1, 0, 3), reply(1, 1, 8, 0), reply(1, 1, 3, 1)]).toEqual([true, true, false, false]);
    const code0 = allows(pods(`  - action: Allow
    protocol: ICMP
    icmp: {type: 3, code: 0}`));
    expect([code0(1, 1, 3, 0), code0(1, 1, 3, 1), code0(1, 1, 8, 0)]).toEqual([true, false, false]);
    const any = allows(pods(`  - action: Allow
    protocol: ICMP`));
    expect([any(1, 1, 0, 0), any(1, 1, 8, 0), any(1, 1, 3, 1)]).toEqual([true, true, true]);
  });

  it('notICMP is every other type Calico can name (0-254), and it narrows icmp whatever their type and code', () => {
    // ICMPFields.Type is 0-254 ("+kubebuilder:validation:Maximum=254"); NCA's testcase14
    // no-match-notICMP map reads notICMP the same way.
    const notType = allows(pods(`  - action: Allow
    protocol: ICMP
    notICMP: {type: 205, code: 54}`));
    expect([notType(1, 1, 205, 54), notType(1, 1, 205, 53), notType(1, 1, 204, 54), notType(1, 1, 254, 0), notType(1, 1, 255, 0), notType(6, 80)]).toEqual([false, true, true, true, false, false]);
    const typeMinusCode = allows(pods(`  - action: Allow
    protocol: ICMP
    icmp: {type: 8, code: 0}
    notICMP: {type: 8}`));
    expect([typeMinusCode(1, 1, 8, 0), typeMinusCode(1, 1, 8, 1)]).toEqual([false, false]);
    const otherType = allows(pods(`  - action: Allow
    protocol: ICMP
    icmp: {type: 8}
    notICMP: {type: 3}`));
    expect([otherType(1, 1, 8, 0), otherType(1, 1, 3, 0)]).toEqual([true, false]);
  });

  it('an ICMP type above 254 is an input error', () => {
    const model = buildMeshModel(loadText('in.yaml', pods(`  - action: Allow
    protocol: ICMP
    icmp: {type: 255}`)).resources);
    expect(model.errors.map((e) => e.code)).toEqual(['CALICO_INVALID_ICMP']);
  });
});

describe('Calico ports as numorstring.PortFromString reads them', () => {
  it('a quoted number is that port, a quoted range a range', () => {
    const quoted = allows(pods(`  - action: Allow
    protocol: TCP
    destination: {ports: ["8080", "9000:9001"]}`));
    expect([quoted(6, 8080), quoted(6, 9001), quoted(6, 8081), quoted(6, 9002)]).toEqual([true, true, false, false]);
  });

  it('a port that is neither a 16-bit number, a range nor a name of [a-zA-Z0-9_.-] is an input error at its place', () => {
    const model = buildMeshModel(loadText('in.yaml', pods(`  - action: Allow
    protocol: TCP
    destination: {ports: ["70000", "a:b", "web", "http/2"]}`)).resources);
    expect(model.errors.map((e) => [e.code, e.location?.line, e.location?.column, e.message])).toEqual([
      ['CALICO_INVALID_PORT', 21, 27, 'a Calico port must be a number 1-65535, a range "a:b" or a port name: got "70000"'],
      ['CALICO_INVALID_PORT', 21, 36, 'a Calico port must be a number 1-65535, a range "a:b" or a port name: got "a:b"'],
      ['CALICO_INVALID_PORT', 21, 50, 'a Calico port must be a number 1-65535, a range "a:b" or a port name: got "http/2"'],
    ]);
  });
});
