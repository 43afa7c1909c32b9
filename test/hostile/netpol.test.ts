import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel, type CompatMode } from '../../src/netpol/build.js';
import { parseNetworkPolicy } from '../../src/netpol/parse/networkPolicy.js';
import type { NetpolIpBlock } from '../../src/netpol/model.js';
import { IpSet } from '../../src/netpol/sets/ipSet.js';

const NP = (spec: string): string => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: ns\nspec:\n${spec}`;

const ip = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
/** A CIDR as [first, last] addresses (numbers) and its text. */
const cidrOf = (base: number, prefix: number): { text: string; first: number; last: number; prefix: number } => {
  const size = 2 ** (32 - prefix);
  const first = Math.floor(base / size) * size;
  return { text: `${ip(first)}/${prefix}`, first, last: first + size - 1, prefix };
};

describe('hostile NetworkPolicies', () => {
  it('accepts overlapping and nested except entries and allows exactly cidr minus their union (property against a naive oracle)', () => {
    const block = fc.record({ base: fc.integer({ min: 0x0a000000, max: 0x0affffff }), prefix: fc.integer({ min: 8, max: 28 }) });
    fc.assert(
      fc.property(block, fc.array(fc.record({ offset: fc.nat(), extra: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { minLength: 8, maxLength: 8 }), ({ base, prefix }, rawExcepts, probes) => {
        const cidr = cidrOf(base, prefix);
        const size = cidr.last - cidr.first + 1;
        // excepts inside the cidr: some nested in others, some overlapping, duplicates allowed
        const excepts = rawExcepts.map(({ offset, extra }) => cidrOf(cidr.first + (offset % size), Math.min(32, prefix + extra)));
        const yaml = NP(`  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock:\n        cidr: ${cidr.text}\n        except: [${excepts.map((e) => e.text).join(', ')}]`);
        const resource = loadText('p.yaml', yaml).resources[0]!;
        const { policy, errors } = parseNetworkPolicy(resource, { namedPortToIpIsError: false, unknownFieldsAreErrors: true });
        expect(errors).toEqual([]);
        const peer = policy!.ingress![0]!.peers![0] as NetpolIpBlock;
        const inOracle = (a: number): boolean => a >= cidr.first && a <= cidr.last && !excepts.some((e) => a >= e.first && a <= e.last);
        const edges = [cidr.first, cidr.last, cidr.first - 1, cidr.last + 1, ...excepts.flatMap((e) => [e.first - 1, e.first, e.last, e.last + 1]), ...probes.map((p) => cidr.first + (p % size))];
        for (const a of edges) {
          const inSet = a >= 0 && !peer.ips.intersect(IpSet.range(4, BigInt(a), BigInt(a))).isEmpty();
          expect([a, inSet]).toEqual([a, inOracle(a)]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an except that is not a strict subset of its cidr, as ValidateIPBlock does', () => {
    const errors = (cidr: string, except: string): string[] => buildModel(loadText('p.yaml', NP(`  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: ${cidr}, except: [${except}]}`)).resources, 'cluster').errors.map((e) => e.code);
    expect(errors('10.0.0.0/8', '10.0.0.0/8')).toEqual(['NETPOL_EXCEPT_OUTSIDE_CIDR']);
    expect(errors('10.0.0.0/16', '10.0.0.0/8')).toEqual(['NETPOL_EXCEPT_OUTSIDE_CIDR']);
    expect(errors('10.0.0.0/8', '11.0.0.0/16')).toEqual(['NETPOL_EXCEPT_OUTSIDE_CIDR']);
    expect(errors('10.0.0.0/8', '10.0.0.0/9')).toEqual([]);
  });

  it('validates ports as the API server does: endPort needs a numeric port, a quoted number is a bad port name (property against the rules of ValidateNetworkPolicyPort)', () => {
    const portValue = fc.oneof(fc.constant(undefined), fc.integer({ min: -2, max: 70000 }), fc.constantFrom('80', 'http', 'HTTP', 'web-8080', '-a', 'a-', 'a--b', 'abcdefghijklmnop', '8o', ''));
    const endValue = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 70000 }));
    fc.assert(
      fc.property(portValue, endValue, fc.constantFrom<CompatMode>('cluster', 'np-guard'), (port, endPort, mode) => {
        const entry = [port === undefined ? '' : `port: ${JSON.stringify(port)}`, endPort === undefined ? '' : `endPort: ${endPort}`].filter(Boolean).join(', ');
        const yaml = NP(`  podSelector: {}\n  ingress:\n  - ports:\n    - {${entry}}`);
        const got = buildModel(loadText('p.yaml', yaml).resources, mode).errors.map((e) => e.code);
        // the API server's rules, restated
        const validName = (s: string): boolean => s.length >= 1 && s.length <= 15 && /^[-a-z0-9]+$/.test(s) && !s.includes('--') && /[a-z]/.test(s) && !s.startsWith('-') && !s.endsWith('-');
        let expected: string[] = [];
        if (port === undefined) expected = endPort === undefined ? [] : ['NETPOL_ENDPORT_WITHOUT_PORT'];
        else if (typeof port === 'string') expected = endPort !== undefined ? ['NETPOL_ENDPORT_WITH_NAMED_PORT'] : validName(port) ? [] : ['NETPOL_INVALID_PORT_NAME'];
        else if (port < 1 || port > 65535) expected = ['NETPOL_INVALID_PORT'];
        else if (endPort !== undefined && (endPort < port || endPort > 65535)) expected = ['NETPOL_INVALID_PORT_RANGE'];
        expect(got).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('a port name two containers of a pod give different numbers allows both numbers, with a warning', () => {
    const yaml = `${NP('  podSelector: {}\n  ingress:\n  - ports:\n    - port: metrics')}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: server\n  namespace: ns\nspec:\n  containers:\n  - name: a\n    image: a\n    ports: [{name: metrics, containerPort: 8080}]\n  - name: b\n    image: b\n    ports: [{name: metrics, containerPort: 9090}, {name: other, containerPort: 7000}]\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: ns\nspec:\n  containers: [{name: c, image: c}]\n`;
    const model = buildModel(loadText('p.yaml', yaml).resources, 'cluster');
    expect(model.warnings.filter((w) => w.code === 'NETPOL_NAMED_PORT_AMBIGUOUS').map((w) => [w.message, w.location?.line])).toEqual([[expect.stringContaining('ns/server[Pod]: "metrics" (TCP) is 8080 and 9090'), 24]]);
    const client = model.pods.find((p) => p.name === 'client')!;
    const server = model.pods.find((p) => p.name === 'server')!;
    const allowed = model.engine.allowed(client, server);
    expect(allowed.toString()).toBe('TCP 8080,9090');
  });
});
