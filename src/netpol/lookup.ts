import type { NetpolModel } from './build.js';
import type { Peer } from './model.js';
import { parseAddress, parseCidr, IpSet } from './sets/ipSet.js';

/**
 * Peer patterns as people type them: `ns/name` (or np-guard's full `ns/name[Kind]`), `ns/*`, `*`
 * (every pod), an IP address or a CIDR (the external ranges it overlaps).
 */
export function matchPeers(model: NetpolModel, pattern: string, side: 'source' | 'destination'): Peer[] {
  const ips = side === 'source' ? model.sourceIps : model.destinationIps;
  const address = addressSet(pattern);
  if (address) return ips.filter((p) => !p.ips.intersect(address).isEmpty() && p.ips.family === address.family);
  if (pattern === '*') return model.pods;
  if (pattern.endsWith('/*')) {
    const namespace = pattern.slice(0, -2);
    return model.pods.filter((p) => p.namespace === namespace);
  }
  return model.pods.filter((p) => p.id === pattern || `${p.namespace}/${p.name}` === pattern);
}

/** The address set of an IP or CIDR pattern, undefined when the pattern names pods. */
export function addressSet(pattern: string): IpSet | undefined {
  const cidr = parseCidr(pattern);
  if (cidr) return IpSet.range(cidr.family, cidr.first, cidr.last);
  const address = parseAddress(pattern);
  return address ? IpSet.range(address.family, address.value, address.value) : undefined;
}
