import type { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { NetpolIpBlock, NetpolPeerSelector, NetpolRule, NetworkPolicy, RulePort } from '../model.js';
import { PortSet, MAX_PORT, MIN_PORT } from '../sets/portSet.js';
import { asArray, asObject, gotText, metadataOf, Problems } from './common.js';

export interface ParseOptions {
  /** np-guard refuses a named port in an egress rule that reaches IPs; the API accepts it. */
  namedPortToIpIsError: boolean;
  /**
   * The API server refuses a field the schema does not have (strict field validation, kubectl's
   * default); netpol-analyzer's decoder drops it. A typo such as `ingres:` otherwise changes what
   * the policy means without a word.
   */
  unknownFieldsAreErrors?: boolean;
  /** How explanations name the policy when it is not written in the input as such (one an operator creates). */
  describedAs?: string;
}

/** networking.k8s.io/v1 NetworkPolicy fields, per level. */
const FIELDS = {
  spec: ['podSelector', 'policyTypes', 'ingress', 'egress'],
  ingress: ['from', 'ports'],
  egress: ['to', 'ports'],
  peer: ['podSelector', 'namespaceSelector', 'ipBlock'],
  ipBlock: ['cidr', 'except'],
  port: ['protocol', 'port', 'endPort'],
} as const;

/**
 * networking.k8s.io/v1 NetworkPolicy → model, with every validation np-guard and the API server
 * apply. Errors name the field; the policy is returned only when it is valid.
 */
export function parseNetworkPolicy(resource: Resource, options: ParseOptions): { policy?: NetworkPolicy; errors: PalisadeError[]; warnings: PalisadeError[] } {
  const problems = new Problems(resource, options.unknownFieldsAreErrors ?? false);
  const warnings = new Problems(resource);
  const { name, namespace } = metadataOf(resource.object);
  const spec = asObject(resource.object.spec) ?? {};
  problems.unknownFields(spec, FIELDS.spec, '/spec');
  const policyName = `${namespace}/${name}`;
  const label = options.describedAs ?? `NetworkPolicy ${policyName}`;
  const podSelector = problems.selector(spec.podSelector, '/spec/podSelector');

  const types = asArray(spec.policyTypes);
  types?.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') problems.add('NETPOL_INVALID_POLICY_TYPE', `/spec/policyTypes/${i}`, gotText(t));
  });
  const egressList = asArray(spec.egress) ?? [];
  // policyTypes omitted: Ingress always, Egress only when there are egress rules (API defaulting).
  const affectsIngress = types && types.length > 0 ? types.includes('Ingress') : true;
  const affectsEgress = types && types.length > 0 ? types.includes('Egress') : egressList.length > 0;

  const rules = (direction: 'ingress' | 'egress'): NetpolRule[] =>
    (asArray(spec[direction]) ?? []).map((raw, i) => {
      const pointer = `/spec/${direction}/${i}`;
      const id = `NetworkPolicy/${policyName}/${direction}/${i}`;
      const rule = asObject(raw) ?? {};
      problems.unknownFields(rule, FIELDS[direction], pointer);
      const peersKey = direction === 'ingress' ? 'from' : 'to';
      const peersRaw = asArray(rule[peersKey]);
      const peers = peersRaw && peersRaw.length > 0 ? peersRaw.map((p, j) => parsePeer(p, `${pointer}/${peersKey}/${j}`, problems)).filter((p) => p !== undefined) : undefined;
      const portsRaw = asArray(rule.ports);
      const ports = portsRaw && portsRaw.length > 0 ? portsRaw.map((p, j) => parsePort(p, `${pointer}/ports/${j}`, id, problems)).filter((p) => p !== undefined) : undefined;
      if (direction === 'egress' && ports?.some((p) => 'named' in p) && (peers === undefined || peers.some((p) => p.type === 'ipBlock'))) {
        (options.namedPortToIpIsError ? problems : warnings).add('NETPOL_NAMED_PORT_TO_IP', `${pointer}/ports`);
      }
      return {
        origin: problems.origin(id, label, `${direction} rule #${i + 1}`, pointer),
        ...(peers ? { peers } : {}),
        ...(ports ? { ports } : {}),
      };
    });

  const ingress = rules('ingress');
  const egress = rules('egress');
  if (problems.errors.length > 0) return { errors: problems.errors, warnings: [...warnings.errors, ...problems.warnings] };
  return {
    policy: {
      kind: 'NetworkPolicy',
      namespace,
      name,
      podSelector,
      ...(affectsIngress ? { ingress } : {}),
      ...(affectsEgress ? { egress } : {}),
      origin: problems.origin(`NetworkPolicy/${policyName}`, label, 'policy', '/metadata/name'),
    },
    errors: [],
    warnings: [...warnings.errors, ...problems.warnings],
  };
}

function parsePeer(raw: unknown, pointer: string, problems: Problems): NetpolPeerSelector | NetpolIpBlock | undefined {
  const peer = asObject(raw) ?? {};
  problems.unknownFields(peer, FIELDS.peer, pointer);
  const hasSelector = peer.podSelector != null || peer.namespaceSelector != null;
  if (peer.ipBlock != null) {
    if (hasSelector) {
      problems.add('NETPOL_IPBLOCK_WITH_SELECTOR', pointer);
      return undefined;
    }
    const block = asObject(peer.ipBlock) ?? {};
    problems.unknownFields(block, FIELDS.ipBlock, `${pointer}/ipBlock`);
    const cidr = problems.cidr(block.cidr, `${pointer}/ipBlock/cidr`);
    if (!cidr) return undefined;
    let ips = cidr;
    (asArray(block.except) ?? []).forEach((e, k) => {
      const except = problems.cidr(e, `${pointer}/ipBlock/except/${k}`);
      if (!except) return;
      // The API server (ValidateIPBlock) checks each entry against the cidr alone: entries may
      // overlap or nest, and must be a strict subset (a longer prefix inside the cidr).
      if (except.family !== cidr.family || !cidr.contains(except) || except.contains(cidr)) problems.add('NETPOL_EXCEPT_OUTSIDE_CIDR', `${pointer}/ipBlock/except/${k}`, `${String(e)} is not a strict subset of ${String(block.cidr)}`);
      else ips = ips.subtract(except);
    });
    return { type: 'ipBlock', ips };
  }
  if (!hasSelector) {
    problems.add('NETPOL_EMPTY_PEER', pointer);
    return undefined;
  }
  return {
    type: 'selector',
    ...(peer.namespaceSelector != null ? { namespaceSelector: problems.selector(peer.namespaceSelector, `${pointer}/namespaceSelector`) } : {}),
    ...(peer.podSelector != null ? { podSelector: problems.selector(peer.podSelector, `${pointer}/podSelector`) } : {}),
  };
}

export function parsePort(raw: unknown, pointer: string, ruleId: string, problems: Problems): RulePort | undefined {
  const entry = asObject(raw) ?? {};
  problems.unknownFields(entry, FIELDS.port, pointer);
  const protocol = problems.protocol(entry.protocol, `${pointer}/protocol`);
  const port = entry.port;
  const endPort = entry.endPort;
  // As the API server's ValidateNetworkPolicyPort: endPort needs a numeric port; a string port is
  // a port name (IsValidPortName), so "80" in quotes is refused, not read as 80.
  if (port === undefined || port === null) {
    if (endPort !== undefined && endPort !== null) {
      problems.add('NETPOL_ENDPORT_WITHOUT_PORT', `${pointer}/endPort`);
      return undefined;
    }
    // A protocol with no port means every port of that protocol.
    return { protocol, ports: PortSet.all([ruleId]) };
  }
  if (typeof port === 'string') {
    if (endPort !== undefined && endPort !== null) {
      problems.add('NETPOL_ENDPORT_WITH_NAMED_PORT', `${pointer}/endPort`);
      return undefined;
    }
    const invalid = portNameProblem(port);
    if (invalid) {
      problems.add('NETPOL_INVALID_PORT_NAME', `${pointer}/port`, `${JSON.stringify(port)} ${invalid}`);
      return undefined;
    }
    return { protocol, named: port };
  }
  const start = Number(port);
  const end = endPort === undefined || endPort === null ? start : Number(endPort);
  if (!Number.isInteger(start) || start < MIN_PORT || start > MAX_PORT) {
    problems.add('NETPOL_INVALID_PORT', `${pointer}/port`, gotText(port));
    return undefined;
  }
  if (!Number.isInteger(end) || end < start || end > MAX_PORT) {
    problems.add('NETPOL_INVALID_PORT_RANGE', `${pointer}/endPort`, `${start}-${String(endPort)}`);
    return undefined;
  }
  return { protocol, ports: PortSet.range(start, end, [ruleId]) };
}

/**
 * Why a string is not a port name (IANA_SVC_NAME, apimachinery's IsValidPortName), or undefined:
 * at most 15 characters of a-z, 0-9 and '-', at least one letter, no '-' at either end or twice in a row.
 */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 15) return 'must be no more than 15 characters';
  if (!/^[-a-z0-9]+$/.test(name)) return "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}
