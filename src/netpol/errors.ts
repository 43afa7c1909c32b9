import { PalisadeError } from '../core/errors.js';
import type { Location } from '../core/types.js';

/**
 * Why a policy is invalid. np-guard refuses each of these as fatal, and so does `netpol`: a
 * reachability answer computed without the policy would be false (DESIGN.md, exit 2).
 */
export const NETPOL_ERRORS = {
  NETPOL_INVALID_SELECTOR: 'invalid label selector',
  NETPOL_EMPTY_PEER: 'a rule peer must set podSelector, namespaceSelector or ipBlock (cannot have empty rule peer)',
  NETPOL_IPBLOCK_WITH_SELECTOR: 'a rule peer cannot have both ipBlock and podSelector/namespaceSelector set',
  NETPOL_INVALID_CIDR: 'invalid CIDR address',
  NETPOL_EXCEPT_OUTSIDE_CIDR: 'an ipBlock except entry must lie inside its cidr',
  NETPOL_INVALID_PROTOCOL: 'protocol must be TCP, UDP or SCTP',
  NETPOL_INVALID_PORT: 'port must be a number in 1-65535 or a port name',
  NETPOL_ENDPORT_WITH_NAMED_PORT: 'endPort cannot be defined if the port field is a named (string) port',
  NETPOL_ENDPORT_WITHOUT_PORT: 'endPort may not be specified when port is not specified',
  NETPOL_INVALID_PORT_NAME: 'a string port is a port name (IANA_SVC_NAME): a number must be written without quotes',
  NETPOL_INVALID_PORT_RANGE: 'illegal port range: start and end must be in 1-65535 and end may not be less than start',
  NETPOL_NAMED_PORT_TO_IP: 'a named port cannot be converted for an IP destination (egress rule with ipBlock or no peers)',
  NETPOL_DUPLICATE_NAME: 'another object of the same kind already has this namespace/name',
  NETPOL_INVALID_POLICY_TYPE: 'policyTypes entries must be Ingress or Egress',
  NETPOL_NOT_AN_OBJECT: 'expected an object',
  ANP_INVALID_PRIORITY: 'priority must be an integer between 0 and 1000 (AdminNetworkPolicy, ClusterNetworkPolicy)',
  ANP_DUPLICATE_PRIORITY: 'two policies of one tier have the same priority; the outcome would be undefined',
  ANP_INVALID_ACTION: 'unrecognized rule action (AdminNetworkPolicy: Allow, Deny, Pass; BaselineAdminNetworkPolicy: Allow, Deny; ClusterNetworkPolicy: Accept, Deny, Pass)',
  ANP_EMPTY_PEERS: 'rule peers (from/to) must be defined and contain at least one item',
  ANP_PEER_FIELDS: 'exactly one field must be set in a rule peer',
  ANP_PORT_FIELDS: 'exactly one field must be set in an AdminNetworkPolicyPort',
  ANP_SUBJECT_FIELDS: 'exactly one field must be set in a subject',
  BANP_NOT_SINGLETON: 'only one BaselineAdminNetworkPolicy may exist in a cluster',
  BANP_NAME_NOT_DEFAULT: 'a BaselineAdminNetworkPolicy must be named "default"',
  CNP_INVALID_TIER: 'a ClusterNetworkPolicy tier must be Admin or Baseline',
  CNP_PROTOCOL_FIELDS: 'exactly one of tcp, udp, sctp and destinationNamedPort must be set in a protocols entry, and tcp, udp or sctp must set destinationPort to exactly one of number and range',
  CNP_DOMAIN_NAMES_ACTION: 'domainNames peers are only allowed in Accept rules',
  CNP_NAMED_PORT_WITHOUT_PODS: 'destinationNamedPort cannot be used with networks, nodes or domainNames peers, which have no named ports',
  CNP_DOMAIN_NAMES_UNRESOLVED: 'domainNames are not resolved offline: the peer is read as matching no address, so what the rule accepts falls to the rules after it',
  NETPOL_NAMED_PORT_AMBIGUOUS: 'containers of one pod give this port name different numbers; a rule naming it allows every one of them',
  NETPOL_UNKNOWN_FIELD: 'not a NetworkPolicy field: the API server refuses the object under strict field validation (kubectl\'s default), and a lenient decoder drops the field',
  NETPOL_UNKNOWN_SELECTOR_FIELD: 'not a label selector field (matchLabels, matchExpressions): the API server refuses it under strict field validation, and a lenient decoder drops it, leaving a selector that may match everything',
  ANP_LEGACY_NAMESPACE_PEER: 'sameLabels, notSameLabels and namespaceSelector inside namespaces are the v0.1.0-v0.1.1 form of policy.networking.k8s.io/v1alpha1; later releases read namespaces as a plain label selector',
} as const;

export type NetpolErrorCode = keyof typeof NETPOL_ERRORS;

export function netpolError(code: NetpolErrorCode, detail: string, location: Location | undefined, errorClass: 'fatal' | 'warning' = 'fatal'): PalisadeError {
  return new PalisadeError(code, detail === '' ? NETPOL_ERRORS[code] : `${NETPOL_ERRORS[code]}: ${detail}`, { errorClass, ...(location ? { location } : {}) });
}
