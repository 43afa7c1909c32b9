import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { buildMeshModel, meshMatrixSets } from '../../src/netpol/layers/matrix.js';
import type { Peer } from '../../src/netpol/model.js';
import { parseAddress } from '../../src/netpol/sets/ipSet.js';
import { EXTERNAL, manifests, PROBE_PORTS, PROTOCOLS, scenario, type Json, type Labels, type PodSpec } from './adminScenario.js';

/**
 * With only Kubernetes NetworkPolicies, AdminNetworkPolicies and a BaselineAdminNetworkPolicy at
 * L3/L4 and an Istio policy that allows every request, the layered engine (ANP and BANP in their
 * Calico tiers around the default tier) must give the NetworkPolicy engine's matrix — ANP, then
 * NetworkPolicy, then BANP, then allow — pair by pair, protocol by protocol, port by port; the
 * NetworkPolicy engine itself is checked against a naive oracle in engine.property.test.ts.
 */

const PROTOCOL_NUMBER = { TCP: 6, UDP: 17, SCTP: 132 } as const;
const ipOf = (text: string): bigint => parseAddress(text)?.value ?? 0n;

/** Allows every request into every sidecar of the mesh (an ALLOW policy in the root namespace with one empty rule). */
const ISTIO_ALLOW_ALL = { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-all', namespace: 'istio-system' }, spec: { rules: [{}] } };

describe('AdminNetworkPolicy and BaselineAdminNetworkPolicy in the layered engine', () => {
  it('with an allow-all Istio policy, the layered matrix equals the NetworkPolicy engine on every pair, protocol and port', () => {
    fc.assert(
      fc.property(scenario, (raw) => {
        const pods: PodSpec[] = raw.pods.map(([namespace, l, ports], i) => ({ namespace, name: `p${i}`, labels: l as Labels, ports }));
        const s = { netpols: raw.netpols as unknown as Json[], anps: raw.anps as unknown as Json[], ...(raw.banp ? { banp: raw.banp as unknown as Json } : {}) };
        const text = `${manifests(pods, s)}\n---\n${JSON.stringify(ISTIO_ALLOW_ALL)}`;
        const bare = buildModel(loadText('gen.yaml', text).resources, 'cluster');
        const mesh = buildMeshModel(loadText('gen.yaml', text).resources);
        expect(bare.errors.map((e) => e.message)).toEqual([]);
        expect(mesh.errors.map((e) => e.message)).toEqual([]);
        const matrix = new Map(meshMatrixSets(mesh, 'pod').map((e) => [`${e.src} ${e.dst}`, e.conns]));
        const barePod = (p: PodSpec): Peer => bare.pods.find((x) => x.id === `${p.namespace}/${p.name}[Pod]`)!;
        const bareAtom = (ip: string, side: 'src' | 'dst'): Peer => (side === 'src' ? bare.sourceIps : bare.destinationIps).find((a) => a.ips.family === 4 && a.ips.ranges.some((r) => ipOf(ip) >= r.lo && ipOf(ip) < r.hi))!;
        const meshAtom = (ip: string): string => `ip:${mesh.ipAtoms.find((a) => a.family === 4 && a.ranges.some((r) => ipOf(ip) >= r.lo && ipOf(ip) < r.hi))!.toString()}`;
        type End = { mesh: string; src: Peer; dst: Peer; ip: boolean };
        const ends: End[] = [...pods.map((p) => ({ mesh: `${p.namespace}/${p.name}`, src: barePod(p), dst: barePod(p), ip: false })), ...EXTERNAL.map((ip) => ({ mesh: meshAtom(ip), src: bareAtom(ip, 'src'), dst: bareAtom(ip, 'dst'), ip: true }))];
        for (const a of ends) {
          for (const b of ends) {
            if (a === b || (a.ip && b.ip)) continue;
            const want = bare.engine.allowed(a.src, b.dst);
            const got = matrix.get(`${a.mesh} ${b.mesh}`);
            for (const proto of PROTOCOLS) {
              for (const port of PROBE_PORTS) {
                // [proto, sport, dport, icmpType, icmpCode, method, path, host, header]
                const layered = got?.contains([PROTOCOL_NUMBER[proto], 1000, port, 0, 0, 0, 0, 0, 0]) ?? false;
                if (layered !== want.has(proto, port)) expect({ src: a.mesh, dst: b.mesh, proto, port, layered }).toEqual({ src: a.mesh, dst: b.mesh, proto, port, layered: want.has(proto, port) });
              }
            }
          }
        }
      }),
      { numRuns: 120 },
    );
  });
});
