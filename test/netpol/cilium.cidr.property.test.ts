import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { allowedBetween, buildMeshModel } from '../../src/netpol/layers/matrix.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: app, labels: {role: client}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: v1
kind: Pod
metadata: {name: model, namespace: app, labels: {role: model}}
spec: {containers: [{name: c, image: x}]}
`;

/**
 * CIDR rules against a naive per-address oracle: an address is allowed when some toCIDRSet entry's
 * cidr holds it and none of that entry's excepts does (excepts may overlap each other), and no
 * egressDeny toCIDR holds it. Excepts lie inside their cidr (CIDRRule.sanitize refuses others).
 */
const toInt = (ip: string): number => ip.split('.').reduce((a, b) => a * 256 + Number(b), 0);
const inCidr = (ip: string, cidr: string): boolean => {
  const [base, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(base!) / size);
};
const octet = fc.constantFrom(0, 1, 2);
const cidr16 = octet.map((a) => `10.${a}.0.0/16`);
const cidr24 = fc.tuple(octet, octet).map(([a, b]) => `10.${a}.${b}.0/24`);
const anyCidr = fc.oneof(fc.constant('10.0.0.0/8'), cidr16, cidr24);
const cidrEntry = fc.tuple(anyCidr, fc.array(fc.oneof(cidr16, cidr24, fc.tuple(octet, octet, octet).map(([a, b, c]) => `10.${a}.${b}.${c * 64}/26`)), { maxLength: 3 })).map(([cidr, except]) => ({ cidr, except: except.filter((e) => Number(e.split('/')[1]) >= Number(cidr.split('/')[1]) && inCidr(e.split('/')[0]!, cidr)) }));
const address = fc.tuple(octet, octet, fc.constantFrom(0, 63, 64, 130, 255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);

describe('Cilium CIDR rules', () => {
  it('allow an address exactly when an entry holds it outside all its excepts and no deny holds it', () => {
    fc.assert(
      fc.property(fc.array(cidrEntry, { minLength: 1, maxLength: 3 }), fc.array(anyCidr, { maxLength: 2 }), fc.array(address, { minLength: 1, maxLength: 10 }), (entries, denies, addresses) => {
        const policy = {
          apiVersion: 'cilium.io/v2',
          kind: 'CiliumNetworkPolicy',
          metadata: { name: 'cidr', namespace: 'app' },
          spec: {
            endpointSelector: { matchLabels: { role: 'client' } },
            egress: [{ toCIDRSet: entries }],
            ...(denies.length > 0 ? { egressDeny: [{ toCIDR: denies }] } : {}),
          },
        };
        const loaded = loadText('cidr.yaml', `${PODS}\n---\n${JSON.stringify(policy)}`);
        const model = buildMeshModel(loaded.resources);
        expect(model.errors.map((e) => e.message)).toEqual([]);
        const client = model.topology.endpoints.find((e) => e.name === 'app/client')!;
        for (const ip of addresses) {
          const dst = IpSet.range(4, BigInt(toInt(ip)), BigInt(toInt(ip)));
          const want = entries.some((e) => inCidr(ip, e.cidr) && !e.except.some((x) => inCidr(ip, x))) && !denies.some((d) => inCidr(ip, d));
          expect(allowedBetween(model, client, dst).contains([6, 40000, 443, 0, 0, 0, 0, 0, 0]), ip).toBe(want);
        }
      }),
      { numRuns: 80 },
    );
  });
});
