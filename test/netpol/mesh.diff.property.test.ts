import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { ConnSet, ICMP, METHODS, OTHER_METHOD, TCP, UDP } from '../../src/netpol/layers/connSet.js';
import { buildMeshModelPair, meshDiff } from '../../src/netpol/layers/diff.js';
import type { Endpoint } from '../../src/netpol/layers/endpoints.js';
import { allowedBetween, buildMeshModel, type MeshModel, type Resolution } from '../../src/netpol/layers/matrix.js';
import { IpSet, parseCidr } from '../../src/netpol/sets/ipSet.js';
import { calicoPolicy, ciliumDocs, ciliumPolicy, istioPolicy, k8sPolicy, meshDocs, peerAuth, sidecar, workload, workloadDocs, type Gen, type Workload } from './meshGenerators.js';

/**
 * The layered diff against a naive oracle: each revision's model built alone (its own path, host and
 * header classes, its own address atoms), asked pair by pair and probe by probe — a concrete request
 * (protocol, port, method, path, host, headers) to or from a concrete address — whether it is
 * allowed; what the diff (both models over the shared universe) reports as added must be exactly what
 * the new revision allows and the old one does not, and removed the converse. The probes' paths and
 * hosts are every class witness of both revisions alone and of the shared universe, plus fresh
 * strings, so a misaligned class shows.
 */

interface Probe {
  proto: number;
  port: number;
  method: number;
  path: string;
  host: string;
  headers: readonly string[];
}

const docsText = (docs: unknown[]): string => docs.map((d) => JSON.stringify(d)).join('\n---\n');

/** A probe as a point of one model's domain (its own classes). */
function point(model: MeshModel, p: Probe): number[] {
  const mask = model.headers.reduce((m, h, bit) => (p.headers.includes(h) ? m | (1 << bit) : m), 0);
  return [p.proto, 40000, p.port, 8, 0, p.method, model.paths.classOf(p.path)!, model.hosts.classOf(p.host)!, mask];
}

const cidr = (text: string): IpSet => {
  const c = parseCidr(text)!;
  return IpSet.range(c.family, c.first, c.last);
};

const ipKey = (ip: IpSet): string => `ip:${ip.toString()}`;

/** One revision alone: the connections between ends, by name (endpoints) and by address atom (ip:). */
function oracle(model: MeshModel, resolution: Resolution): Map<string, ConnSet> {
  const name = (p: Endpoint | IpSet): string => ('kind' in p ? (resolution === 'deployment' ? p.workload : p.name) : ipKey(p));
  const peers: (Endpoint | IpSet)[] = [...model.topology.endpoints, ...model.sidecars.dnsEntries, ...model.ipAtoms];
  const out = new Map<string, ConnSet>();
  for (const src of peers) {
    for (const dst of peers) {
      if (src === dst || (!('kind' in src) && !('kind' in dst))) continue;
      const s = name(src);
      const t = name(dst);
      if (s === t) continue;
      const conns = allowedBetween(model, src, dst);
      const key = `${s}\u0000${t}`;
      out.set(key, (out.get(key) ?? ConnSet.empty(model.domain)).union(conns));
    }
  }
  return out;
}

/** The atom of a model holding an address. */
function atomOf(model: MeshModel, address: IpSet): IpSet {
  const atom = model.ipAtoms.find((a) => a.family === address.family && !a.intersect(address).isEmpty());
  if (!atom) throw new Error(`no atom holds ${address.toString()}`);
  return atom;
}

function expectDiffMatchesOracle(beforeDocs: unknown[], afterDocs: unknown[], resolution: Resolution): void {
  const beforeResources = loadText('before.yaml', docsText(beforeDocs)).resources;
  const afterResources = loadText('after.yaml', docsText(afterDocs)).resources;
  const alone = { before: buildMeshModel(beforeResources), after: buildMeshModel(afterResources) };
  expect(alone.before.errors.map((e) => e.message)).toEqual([]);
  expect(alone.after.errors.map((e) => e.message)).toEqual([]);
  const shared = buildMeshModelPair(beforeResources, afterResources);
  const entries = new Map(meshDiff(shared.before, shared.after, resolution).map((e) => [`${e.src}\u0000${e.dst}`, e]));
  const truth = { before: oracle(alone.before, resolution), after: oracle(alone.after, resolution) };

  // Ends: every endpoint name of either revision, and one address per shared atom plus fresh ones.
  const names = (m: MeshModel): string[] => [...m.topology.endpoints, ...m.sidecars.dnsEntries].map((p) => (resolution === 'deployment' ? p.workload : p.name));
  const endpointNames = [...new Set([...names(alone.before), ...names(alone.after)])];
  const firstAddress = (a: IpSet): IpSet => IpSet.range(a.family, a.pieces()[0]!.first, a.pieces()[0]!.first);
  const addresses = [...shared.before.ipAtoms.map(firstAddress), ...['10.1.2.3/32', '8.8.8.8/32', '::1/128'].map(cidr)];
  type End = { name: string } | { address: IpSet };
  const ends: End[] = [...endpointNames.map((name) => ({ name })), ...addresses.map((address) => ({ address }))];
  const keyIn = (end: End, model: MeshModel): string => ('name' in end ? end.name : ipKey(atomOf(model, end.address)));

  // Probes: every class witness of both revisions alone and of the shared universe, and fresh values.
  const strings = (pick: (m: MeshModel) => readonly string[], fresh: string[]): string[] => [...new Set([...pick(alone.before), ...pick(alone.after), ...pick(shared.before), ...fresh])];
  const paths = strings((m) => m.paths.witnesses, ['/', '/v1/models/iris:predict', '/v1/x', '/healthz/']);
  const hosts = strings((m) => m.hosts.witnesses, ['api.example.com', 'API.example.com', 'x.example.com', 'other.org']);
  const headerSets: string[][] = [[], [...new Set([...alone.before.headers, ...alone.after.headers])]];
  const probes: Probe[] = [];
  for (const proto of [TCP, UDP]) {
    for (const port of [80, 8080, 8500, 12345]) {
      for (const method of proto === TCP ? [METHODS.indexOf('GET'), METHODS.indexOf('POST'), OTHER_METHOD] : [0]) {
        for (const path of proto === TCP ? paths : ['/']) for (const host of proto === TCP ? hosts : ['x']) for (const headers of headerSets) probes.push({ proto, port, method, path, host, headers });
      }
    }
  }
  probes.push({ proto: ICMP, port: 1, method: 0, path: '/', host: 'x', headers: [] });

  let compared = 0;
  for (const src of ends) {
    for (const dst of ends) {
      if ('address' in src && 'address' in dst) continue;
      const bKey = `${keyIn(src, alone.before)}\u0000${keyIn(dst, alone.before)}`;
      const aKey = `${keyIn(src, alone.after)}\u0000${keyIn(dst, alone.after)}`;
      const dKey = `${keyIn(src, shared.before)}\u0000${keyIn(dst, shared.before)}`;
      if ('name' in src && 'name' in dst && src.name === dst.name) continue;
      const was = truth.before.get(bKey);
      const is = truth.after.get(aKey);
      const entry = entries.get(dKey);
      for (const probe of probes) {
        const b = was?.contains(point(alone.before, probe)) ?? false;
        const a = is?.contains(point(alone.after, probe)) ?? false;
        const at = point(shared.before, probe);
        const reported = { added: entry?.sets.added.contains(at) ?? false, removed: entry?.sets.removed.contains(at) ?? false };
        if (reported.added !== (a && !b) || reported.removed !== (b && !a)) {
          expect({ src, dst, probe, before: b, after: a, kind: entry?.kind }).toEqual({ src, dst, probe, before: b, after: a, reported });
        }
        compared++;
      }
      // The kind follows np-guard's: added when the old revision allowed nothing, removed when the new one allows nothing.
      if (entry) {
        const none = (s: ConnSet | undefined): boolean => s === undefined || s.isEmpty();
        expect(entry.kind).toBe(none(was) ? 'added' : none(is) ? 'removed' : 'changed');
      }
    }
  }
  expect(compared).toBeGreaterThan(0);
}

type Layers = { calico: Gen<typeof calicoPolicy>[]; k8s: Gen<typeof k8sPolicy>[]; istio: Gen<typeof istioPolicy>[]; mtls: Gen<typeof peerAuth>[]; sidecars: Gen<typeof sidecar>[] };

const layers: fc.Arbitrary<Layers> = fc.record({
  calico: fc.array(calicoPolicy, { maxLength: 2 }),
  k8s: fc.array(k8sPolicy, { maxLength: 2 }),
  istio: fc.array(istioPolicy, { maxLength: 3 }),
  mtls: fc.array(peerAuth, { maxLength: 1 }),
  sidecars: fc.array(sidecar, { maxLength: 1 }),
});

/** The new revision: drawn on its own, or the old one with more objects of each layer (a small change). */
const revisions = fc.tuple(layers, layers, fc.boolean()).map(([before, more, independent]): [Layers, Layers] => [
  before,
  independent ? more : { calico: [...before.calico, ...more.calico.slice(0, 1)], k8s: before.k8s, istio: [...before.istio, ...more.istio.slice(0, 1)], mtls: before.mtls, sidecars: before.sidecars },
]);

/** The new revision's workloads: the same, or one more (its pairs are added). */
const workloadPairs = fc.tuple(fc.array(workload, { minLength: 1, maxLength: 4 }), fc.option(workload, { nil: undefined })).map(([ws, extra]): [Workload[], Workload[]] => [ws, extra ? [...ws, extra] : ws]);

describe('layered netpol diff', () => {
  it('reports exactly what each revision alone allows and the other does not, on random Calico + Kubernetes + Istio revisions', () => {
    fc.assert(
      fc.property(workloadPairs, revisions, fc.constantFrom<Resolution>('pod', 'deployment'), ([wb, wa], [before, after], resolution) => {
        expectDiffMatchesOracle([...workloadDocs(wb), ...meshDocs(before)], [...workloadDocs(wa), ...meshDocs(after)], resolution);
      }),
      { numRuns: 30 },
    );
  });

  it('reports exactly what each revision alone allows and the other does not, on random Cilium revisions (L7 rules included)', () => {
    fc.assert(
      fc.property(workloadPairs, fc.array(ciliumPolicy, { minLength: 1, maxLength: 3 }), fc.array(ciliumPolicy, { minLength: 1, maxLength: 3 }), fc.constantFrom<Resolution>('pod', 'deployment'), ([wb, wa], before, after, resolution) => {
        expectDiffMatchesOracle([...workloadDocs(wb), ...ciliumDocs(before)], [...workloadDocs(wa), ...ciliumDocs(after)], resolution);
      }),
      { numRuns: 30 },
    );
  });

  it('reports exactly what each revision alone allows and the other does not, on random Kubernetes Ingress revisions (hosts and paths)', () => {
    const pod = (ns: string, name: string, app: string, port?: number): unknown => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels: { app } }, spec: { containers: [{ name: 'c', image: 'x', ...(port ? { ports: [{ name: 'http', containerPort: port }] } : {}) }] } });
    const svc = (ns: string, name: string, app: string, ports: unknown[]): unknown => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { selector: { app }, ports } });
    const topology = [pod('ingress-nginx', 'controller', 'nginx'), svc('ingress-nginx', 'ingress-nginx-controller', 'nginx', [{ port: 80 }]), pod('shop', 'api', 'api', 8080), pod('shop', 'web', 'web'), svc('shop', 'api', 'api', [{ name: 'web', port: 80, targetPort: 'http' }]), svc('shop', 'web', 'web', [{ port: 80, targetPort: 3000 }])];
    const route = fc.record({ host: fc.option(fc.constantFrom('shop.example.com', '*.example.com', 'api.example.com'), { nil: undefined }), path: fc.constantFrom('/api', '/api/admin', '/health', '/v1'), pathType: fc.constantFrom('Prefix', 'Exact'), backend: fc.constantFrom('api', 'web') });
    const ingress = (routes: Gen<typeof route>[]): unknown => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { rules: routes.map((r) => ({ ...(r.host ? { host: r.host } : {}), http: { paths: [{ path: r.path, pathType: r.pathType, backend: { service: { name: r.backend, port: { number: 80 } } } }] } })) },
    });
    fc.assert(
      fc.property(fc.array(route, { minLength: 1, maxLength: 3 }), fc.array(route, { minLength: 1, maxLength: 3 }), (before, after) => {
        expectDiffMatchesOracle([...topology, ingress(before)], [...topology, ingress(after)], 'pod');
      }),
      { numRuns: 20 },
    );
  });
});
