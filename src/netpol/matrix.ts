import type { Resource } from '../core/load.js';
import { MODES, type NetpolModel } from './build.js';
import type { Engine } from './eval/engine.js';
import { ingressControllerEntries } from './ingressController.js';
import type { Direction, IpPeer, Peer, PodPeer } from './model.js';
import type { ConnectionSet } from './sets/connectionSet.js';
import { atoms, cidrItems, cidrText, type CidrItem, type IpFamily, type IpSet } from './sets/ipSet.js';

/** One allowed connection, as the JSON report and every format carry it. */
export interface Connection {
  src: string;
  dst: string;
  conns: string;
  /** The compact matrix's address side, as CIDRs with excepts (its name is their text). */
  srcAddresses?: CidrItem[];
  dstAddresses?: CidrItem[];
}

export interface MatrixEntry {
  src: Peer;
  dst: Peer;
  allowed: ConnectionSet;
  /** Compact entries: the address slices (np-guard atoms of this end's rules) the address side groups. */
  slices?: IpPeer[];
}

/**
 * Every ordered pair with something allowed, np-guard's way: no self pairs, no address-to-address
 * pairs; sources are pods and source-side address ranges, destinations pods and destination-side ranges,
 * plus `{ingress-controller}` lines for pods that an Ingress or Route exposes.
 */
export function computeMatrix(model: NetpolModel, resources: readonly Resource[] = []): MatrixEntry[] {
  const out: MatrixEntry[] = [];
  const sources: Peer[] = [...model.pods, ...model.sourceIps];
  const destinations: Peer[] = [...model.pods, ...model.destinationIps];
  const isDestination = new Set<Peer>(destinations);
  const { engine } = model;
  for (const src of sources) {
    // Egress decided by NetworkPolicies alone: the engine lists what src reaches.
    const reached = engine.reachableFrom(src);
    for (const { dst, allowed } of reached ?? []) {
      if (src !== dst && isDestination.has(dst) && !(src.type === 'ip' && dst.type === 'ip')) out.push({ src, dst, allowed });
    }
    if (reached) continue;
    for (const dst of destinations) {
      if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
      const allowed = engine.allowed(src, dst);
      if (!allowed.isEmpty()) out.push({ src, dst, allowed });
    }
  }
  out.push(...ingressControllerEntries(resources, model.pods, model.engine, model.mode));
  return out;
}

/**
 * The matrix with address sets kept whole: pod pairs as computeMatrix gives them, and per pod,
 * direction, address family and allowed connections one entry whose address side is every external
 * address with those connections, named by its CIDRs and excepts. The address space is cut only
 * where that pod's own rules cut it (never into the slices of every policy's excepts), and ends with
 * one selection signature share the answer, so the entries grow with the pods and their rules, not
 * with pods × every except in the cluster.
 */
export function computeCompactMatrix(model: NetpolModel, resources: readonly Resource[] = []): MatrixEntry[] {
  const out: MatrixEntry[] = [];
  const { engine, pods } = model;
  const isPod = new Set<Peer>(pods);
  for (const src of pods) {
    const reached = engine.reachableFrom(src);
    if (reached) {
      for (const { dst, allowed } of reached) if (src !== dst && isPod.has(dst)) out.push({ src, dst, allowed });
      continue;
    }
    for (const dst of pods) {
      if (src === dst) continue;
      const allowed = engine.allowed(src, dst);
      if (!allowed.isEmpty()) out.push({ src, dst, allowed });
    }
  }
  const families = MODES[model.mode].families;
  const bySignature: Record<Direction, Map<number, AddressGroup[]>> = { ingress: new Map(), egress: new Map() };
  for (const pod of pods) {
    for (const direction of ['ingress', 'egress'] as const) {
      const view = engine.externalView(direction, pod);
      let groups = view.key === undefined ? undefined : bySignature[direction].get(view.key);
      if (!groups) {
        groups = addressGroups(engine, direction, pod, view.bounds, families);
        if (view.key !== undefined) bySignature[direction].set(view.key, groups);
      }
      for (const { peer, allowed, slices } of groups) out.push(direction === 'ingress' ? { src: peer, dst: pod, allowed, slices } : { src: pod, dst: peer, allowed, slices });
    }
  }
  out.push(...ingressControllerEntries(resources, model.pods, model.engine, model.mode));
  return out;
}

interface AddressGroup {
  peer: IpPeer;
  allowed: ConnectionSet;
  slices: IpPeer[];
}

/** One pod's verdicts on external addresses for one direction, grouped by family and allowed connections. */
function addressGroups(engine: Engine, direction: Direction, pod: PodPeer, bounds: readonly IpSet[], families: readonly IpFamily[]): AddressGroup[] {
  const out: AddressGroup[] = [];
  for (const family of families) {
    const groups = new Map<string, { ips: IpSet; allowed: ConnectionSet; slices: IpPeer[] }>();
    for (const ips of atoms(family, bounds.filter((b) => b.family === family))) {
      const slice: IpPeer = { type: 'ip', id: `${ips.toString()}[External]`, ips };
      const allowed = direction === 'ingress' ? engine.allowed(slice, pod) : engine.allowed(pod, slice);
      if (allowed.isEmpty()) continue;
      const key = allowed.toString();
      const group = groups.get(key);
      if (group) {
        group.ips = group.ips.union(ips);
        group.allowed = group.allowed.union(allowed);
        group.slices.push(slice);
      } else groups.set(key, { ips, allowed, slices: [slice] });
    }
    for (const { ips, allowed, slices } of groups.values()) out.push({ peer: { type: 'ip', id: cidrText(cidrItems(ips)), ips }, allowed, slices });
  }
  return out;
}

/** Sorted by src then dst, comparing code units, as np-guard prints them. Compact entries carry their address items. */
export function toConnections(entries: readonly MatrixEntry[]): Connection[] {
  return entries
    .map((e): Connection => {
      const c: Connection = { src: e.src.id, dst: e.dst.id, conns: e.allowed.toString() };
      if (e.slices && e.src.type === 'ip') c.srcAddresses = cidrItems(e.src.ips);
      if (e.slices && e.dst.type === 'ip') c.dstAddresses = cidrItems(e.dst.ips);
      return c;
    })
    .sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}
