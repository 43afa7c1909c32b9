import type { Resource } from '../core/load.js';
import type { NetpolModel } from './build.js';
import { ingressControllerEntries } from './ingressController.js';
import type { Peer } from './model.js';
import type { ConnectionSet } from './sets/connectionSet.js';

/** One allowed connection, as the JSON report and every format carry it. */
export interface Connection {
  src: string;
  dst: string;
  conns: string;
}

export interface MatrixEntry {
  src: Peer;
  dst: Peer;
  allowed: ConnectionSet;
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

/** Sorted by src then dst, comparing code units, as np-guard prints them. */
export function toConnections(entries: readonly MatrixEntry[]): Connection[] {
  return entries
    .map((e) => ({ src: e.src.id, dst: e.dst.id, conns: e.allowed.toString() }))
    .sort((a, b) => (a.src < b.src ? -1 : a.src > b.src ? 1 : a.dst < b.dst ? -1 : a.dst > b.dst ? 1 : 0));
}
