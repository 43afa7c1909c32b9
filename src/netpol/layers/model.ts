import { PalisadeError } from '../../core/errors.js';
import type { Resource } from '../../core/load.js';
import type { Location } from '../../core/types.js';
import type { IpSet } from '../sets/ipSet.js';
import type { ConnSet } from './connSet.js';
import type { Endpoint } from './endpoints.js';

/** The shared shapes of the ordered, action-carrying layers (Calico with Kubernetes NetworkPolicy, Istio, Cilium). */

export type LayerAction = 'Allow' | 'Deny' | 'Pass' | 'Log';

export interface LayerOrigin {
  /** `Kind ns/name ingress[2]`. */
  rule: string;
  location?: Location;
}

/** Which peers a rule side matches: endpoints, and external addresses (one IpSet per family). */
export interface PeerMatch {
  endpoints: ReadonlySet<Endpoint>;
  ips: readonly IpSet[];
}

export interface LayerRule {
  action: LayerAction;
  src: PeerMatch;
  dst: PeerMatch;
  /** The connections the rule matches between these two ends (named ports resolve on the destination). */
  conns(src: Endpoint | undefined, dst: Endpoint | undefined): ConnSet;
  origin: LayerOrigin;
}

/** A Calico tier: policies of a lower tier order are evaluated first; `Pass` and the tier's Pass default go on to the next tier. */
export interface CalicoTier {
  name: string;
  /** undefined: after every tier with an order. */
  order?: number;
  defaultAction: 'Deny' | 'Pass';
}

export interface LayerPolicy {
  kind: string;
  name: string;
  /** undefined sorts last (Calico: "infinite" order). */
  order?: number;
  /** Calico: the policy's tier (undefined: the default tier, ending in Deny). */
  tier?: CalicoTier;
  selected: ReadonlySet<Endpoint>;
  /** undefined: the policy does not apply to this direction. */
  ingress?: readonly LayerRule[];
  egress?: readonly LayerRule[];
  origin: LayerOrigin;
}

/** A layer's policies by the endpoints they select, per direction (kept in the given order). */
export function policiesByEndpoint<P extends LayerPolicy>(policies: readonly P[]): Map<Endpoint, { ingress: P[]; egress: P[] }> {
  const byEndpoint = new Map<Endpoint, { ingress: P[]; egress: P[] }>();
  for (const policy of policies) {
    for (const ep of policy.selected) {
      let entry = byEndpoint.get(ep);
      if (!entry) byEndpoint.set(ep, (entry = { ingress: [], egress: [] }));
      if (policy.ingress) entry.ingress.push(policy);
      if (policy.egress) entry.egress.push(policy);
    }
  }
  return byEndpoint;
}

export function matchesPeer(m: PeerMatch, peer: Endpoint | IpSet): boolean {
  if ('kind' in peer) return m.endpoints.has(peer);
  return m.ips.some((ips) => ips.family === peer.family && !ips.intersect(peer).isEmpty());
}

/** The input errors and out-of-scope notes of the mesh layers (codes are stable; tests match them). */
export const MESH_ERRORS = {
  CALICO_INVALID_SELECTOR: 'invalid Calico selector expression',
  CALICO_INVALID_ACTION: 'a Calico rule action must be Allow, Deny, Pass or Log',
  CALICO_INVALID_PROTOCOL: 'a Calico protocol must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 0-255',
  CALICO_INVALID_PORT: 'a Calico port must be a number 1-65535, a range "a:b" or a port name',
  CALICO_PORTS_NEED_PROTOCOL: 'a rule with ports or notPorts must name a protocol that has ports (TCP, UDP, SCTP, UDPLite)',
  CALICO_INVALID_CIDR: 'invalid CIDR in nets/notNets',
  CALICO_INVALID_TYPES: 'types entries must be Ingress or Egress, and a policy with ingress (egress) rules must list Ingress (Egress)',
  CALICO_INVALID_ICMP: 'ICMP code needs a type; the type is 0-254 and the code 0-255',
  CALICO_GLOBAL_WITH_NAMESPACE: 'a GlobalNetworkPolicy has no namespace',
  CALICO_OUT_OF_SCOPE: 'not modelled (reported, ignored)',
  CALICO_INVALID_HTTP: 'a Calico http match holds methods (a list of strings) and paths (entries with exactly one of exact or prefix)',
  CALICO_HTTP_NEEDS_ALP:
    'the rule matches only the HTTP requests its http names; Calico enforces this with application layer policy (in the destination pod\'s Istio sidecar), which the matrix assumes enabled',
  CALICO_TIER_ASSUMED: 'the tier is not in the input: read as a tier with no order (after the others) whose default action is Deny',
  CALICO_INVALID_TIER: 'a Tier takes an order (a number) and a defaultAction (Deny or Pass)',
  MESH_NOT_AN_OBJECT: 'expected an object',
  MESH_UNKNOWN_FIELD: 'not a field of this kind (the API server refuses it under strict field validation, kubectl\'s default); read as absent',
  ISTIO_OUT_OF_SCOPE: 'not decidable from manifests (reported)',
  ISTIO_INVALID_ACTION: 'an AuthorizationPolicy action must be ALLOW, DENY, AUDIT or CUSTOM',
  ISTIO_CONFLICTING_FIELDS: 'conflicting fields',
  ISTIO_INVALID_SELECTOR: 'invalid workload selector',
  ISTIO_DENY_WITHOUT_RULES: 'a DENY AuthorizationPolicy without rules never matches (Istio rejects it)',
  ISTIO_INVALID_CONDITION: 'invalid when condition',
  ISTIO_INVALID_PORT: 'a port must be a number 1-65535',
  ISTIO_INVALID_SERVICE_ACCOUNT: 'a serviceAccounts entry is <namespace>/<name> or <name> (the policy\'s namespace), without "*"',
  ISTIO_PATH_TEMPLATE: 'a path template ({*}, {**}) that Istio or Envoy refuses (the policy is left out)',
  ISTIO_INVALID_PATTERN: 'an Istio match value may hold one "*", only at its start or end',
  ISTIO_INVALID_CIDR: 'invalid IP address or CIDR',
  ISTIO_INVALID_MTLS_MODE: 'an mTLS mode must be UNSET, STRICT, PERMISSIVE or DISABLE',
  ISTIO_INVALID_HOST: 'invalid host',
  ISTIO_INVALID_FIELD: 'invalid field value',
  ISTIO_SIDECAR_AMBIGUOUS: 'two Sidecars configure the same workloads (Istio leaves the result undefined)',
  ISTIO_SIDECAR_ALLOW_ANY:
    'outboundTrafficPolicy is ALLOW_ANY: Envoy passes traffic it has no listener for through to its original address, so a live cluster may still reach hosts left out of egress; the matrix reads egress hosts as the only TCP destinations (set REGISTRY_ONLY to enforce them)',
  CILIUM_NO_SELECTOR: 'a Cilium policy rule needs an endpointSelector (or a nodeSelector)',
  CILIUM_NO_RULES: 'a Cilium policy rule needs at least one of ingress, ingressDeny, egress, egressDeny (the agent rejects it)',
  CILIUM_INVALID_SELECTOR: 'invalid Cilium endpoint selector',
  CILIUM_CONFLICTING_FIELDS: 'Cilium does not accept these fields together in one rule',
  CILIUM_INVALID_ENTITY: 'unknown Cilium entity',
  CILIUM_INVALID_PORT: 'a Cilium port must be given, as a number 0-65535 or a port name, and endPort be a number 0-65535 (at most 40 ports a port rule)',
  CILIUM_INVALID_PROTOCOL: 'a Cilium toPorts protocol must be TCP, UDP, SCTP, ANY, VRRP, IGMP, GRE, IPIP, IPV6, ESP or AH (upper case)',
  CILIUM_INVALID_CIDR: 'invalid CIDR',
  CILIUM_INVALID_ICMP: 'an ICMP field needs family IPv4 or IPv6 and a type 0-255 or a known type name (at most 40 fields an icmps entry)',
  CILIUM_INVALID_REGEX: 'invalid regular expression',
  CILIUM_INVALID_HEADER_MATCH: 'a headerMatches entry needs a name, and mismatch (if given) is LOG, ADD, DELETE or REPLACE',
  CILIUM_INVALID_FQDN: 'a DNS name selector takes exactly one of matchName (letters, digits, "-", "_", ".") or matchPattern (the same and "*")',
  CILIUM_REMOVED_FIELD: 'a field Cilium has removed (the API server refuses it)',
  CILIUM_LOCAL_HOST_ALLOWED:
    'Cilium lets each pod\'s own node reach it whatever its ingress rules allow (allow-localhost defaults to always on Kubernetes; kubelet probes rely on it): the input holds no node addresses, so the matrix shows no flow from the node (said once, at the first policy with ingress default deny)',
  CILIUM_OUT_OF_SCOPE: 'not decidable from manifests (reported)',
  MESH_CONFLICTING_FIELDS: 'conflicting fields',
  MESH_OUT_OF_SCOPE: 'not modelled (reported)',
  MESH_ADMIN_POLICY_NOT_ENFORCED:
    'Cilium implements neither AdminNetworkPolicy nor BaselineAdminNetworkPolicy, and ClusterNetworkPolicy only from v1.20 behind a flag: the matrix leaves the policy out, as the cluster does by default',
  MESH_CNP_TIERS_ASSUMED:
    'read as Calico v3.32 runs it: ClusterNetworkPolicies of tier Admin in the kube-admin tier (order 1,000, defaultAction Pass), of tier Baseline in the kube-baseline tier (order 10,000,000, defaultAction Pass), each at its priority',
  MESH_ADMIN_TIERS_ASSUMED:
    "read as Calico v3.29-v3.31 runs it: AdminNetworkPolicies in the adminnetworkpolicy tier (order 1,000, defaultAction Pass), the BaselineAdminNetworkPolicy in the baselineadminnetworkpolicy tier (order 10,000,000, defaultAction Pass; from v3.30); Calico v3.32 dropped both kinds for ClusterNetworkPolicy",
  INGRESS_BACKEND_MISSING: 'the backend is not in the input: the path is ignored',
  INGRESS_INVALID_HOST: 'invalid Ingress host',
  INGRESS_INVALID_PATH: 'invalid Ingress path',
  INGRESS_NO_CONTROLLER: 'no ingress controller pods (behind a Service whose namespace/name contains "ingress-nginx") are in the input',
  ISTIO_GATEWAY_ASSUMED: 'a Gateway selects no pod of the input',
  ISTIO_GATEWAY_NO_PODS: 'the Gateway selects no pod: it is ignored',
  ISTIO_DESTINATION_MISSING: 'the route destination is not in the input',
  ISTIO_GATEWAY_SERVER_INVALID: 'istio\'s validation refuses this Gateway server',
  ISTIO_GATEWAY_SERVER_SKIPPED: 'istio skips this Gateway server on its gateway proxies',
  ISTIO_EGRESS_FLOW_PARTIAL: 'half an egress-gateway flow (mesh to egress gateway, egress gateway to a ServiceEntry host): the flow is ignored',
  MESH_NAMESPACE_ASSUMED: 'the object names no namespace',
} as const;

export type MeshErrorCode = keyof typeof MESH_ERRORS;

/** Collects a resource's problems with file:line:column. */
export class MeshProblems {
  readonly errors: PalisadeError[] = [];
  readonly warnings: PalisadeError[] = [];
  constructor(readonly resource: Resource) {}

  add(code: MeshErrorCode, pointer: string, detail = ''): void {
    this.errors.push(new PalisadeError(code, detail ? `${MESH_ERRORS[code]}: ${detail}` : MESH_ERRORS[code], { errorClass: 'fatal', location: this.resource.locate(pointer) }));
  }

  warn(code: MeshErrorCode, pointer: string, detail = ''): void {
    this.warnings.push(new PalisadeError(code, detail ? `${MESH_ERRORS[code]}: ${detail}` : MESH_ERRORS[code], { errorClass: 'warning', location: this.resource.locate(pointer) }));
  }

  origin(rule: string, pointer: string): LayerOrigin {
    const resource = this.resource;
    let location: Location | undefined;
    return {
      rule,
      get location(): Location {
        location ??= resource.locate(pointer);
        return location;
      },
    };
  }
}
