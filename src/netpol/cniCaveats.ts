import { PalisadeError } from '../core/errors.js';
import type { Resource } from '../core/load.js';
import { asArray, asObject } from './parse/common.js';

/**
 * Valid NetworkPolicy features that some CNIs implement differently or not at all
 * (research/netpol.md §C–D, §5). The default mode warns once per policy and feature, at the first
 * field that uses it; `--compat np-guard` does not (np-guard models the API, not a CNI).
 */
interface Caveat {
  code: string;
  message: string;
  /** Does this port entry or peer use the feature? */
  port?: (port: Record<string, unknown>) => boolean;
  peer?: (peer: Record<string, unknown>) => boolean;
  field: string;
}

export const CNI_CAVEATS: readonly Caveat[] = [
  { code: 'NETPOL_CNI_END_PORT', field: 'endPort', port: (p) => p.endPort != null, message: 'endPort ranges need a CNI that supports them; others apply only the single `port`' },
  { code: 'NETPOL_CNI_NAMED_PORT', field: 'port', port: (p) => typeof p.port === 'string' && !/^\d+$/.test(p.port), message: 'named ports are not supported by every CNI (kube-router, older Weave)' },
  { code: 'NETPOL_CNI_PROTOCOL_ONLY', field: 'protocol', port: (p) => p.port == null && p.protocol != null, message: 'a port entry with a protocol and no port means every port of that protocol; some CNIs mishandled it (openshift/origin#20031)' },
  { code: 'NETPOL_CNI_SCTP', field: 'protocol', port: (p) => p.protocol === 'SCTP', message: 'SCTP rules need a CNI with SCTP support' },
  { code: 'NETPOL_CNI_EXCEPT', field: 'ipBlock', peer: (p) => (asArray(asObject(p.ipBlock)?.except) ?? []).length > 0, message: 'ipBlock except was ignored by some CNIs (antrea-io/antrea#71); SNAT may also hide the real source address' },
];

export function cniCaveats(resource: Resource): PalisadeError[] {
  const spec = asObject(resource.object.spec) ?? {};
  const out: PalisadeError[] = [];
  for (const caveat of CNI_CAVEATS) {
    const pointer = firstUse(spec, caveat);
    if (pointer) out.push(new PalisadeError(caveat.code, caveat.message, { errorClass: 'warning', location: resource.locate(pointer) }));
  }
  return out;
}

function firstUse(spec: Record<string, unknown>, caveat: Caveat): string | undefined {
  for (const direction of ['ingress', 'egress'] as const) {
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    const rules = asArray(spec[direction]) ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = asObject(rules[i]) ?? {};
      const ports = asArray(rule.ports) ?? [];
      for (let j = 0; j < ports.length; j++) if (caveat.port?.(asObject(ports[j]) ?? {})) return `/spec/${direction}/${i}/ports/${j}/${caveat.field}`;
      const peers = asArray(rule[peersKey]) ?? [];
      for (let j = 0; j < peers.length; j++) if (caveat.peer?.(asObject(peers[j]) ?? {})) return `/spec/${direction}/${i}/${peersKey}/${j}/${caveat.field}`;
    }
  }
  return undefined;
}
