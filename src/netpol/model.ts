import type { Location, ResourceRef } from '../core/types.js';
import type { Labels, Selector } from './selector.js';
import type { Protocol } from './sets/connectionSet.js';
import type { IpSet } from './sets/ipSet.js';
import type { PortSet } from './sets/portSet.js';

/** The parsed, validated policy model the evaluator works on. Plain data and constants; no behaviour. */

export type Direction = 'ingress' | 'egress';

/** The label the API server puts on every namespace (GA in 1.22); policies in the wild rely on it. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** Where a rule came from, for explain: a readable name and file:line:column. */
export interface RuleOrigin {
  id: string;
  policy: string;
  description: string;
  location?: Location;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
}

export interface Namespace {
  name: string;
  labels: Labels;
}

/** A pod or a workload (one peer per workload, named `ns/name[Kind]` like np-guard). */
export interface PodPeer {
  type: 'pod';
  id: string;
  namespace: string;
  name: string;
  kind: string;
  labels: Labels;
  ports: readonly ContainerPort[];
  /** Runs in the node's network namespace: NetworkPolicies do not apply to it on most CNIs. */
  hostNetwork?: boolean;
  /** spec.serviceAccountName when set (Istio's identity of the pod; Kubernetes uses `default` otherwise). */
  serviceAccount?: string;
  /** Model servers its containers run (ids of the checks' MODEL_SERVERS table), for diff. */
  modelServers?: readonly string[];
  /** Pod IPs when the input gives them (status.podIPs), for the cluster-faithful mode. */
  ips: readonly IpSet[];
  resource?: ResourceRef;
  /** JSON pointer of the pod spec in its resource (a workload can hold several: a RayCluster's head and worker groups). */
  path?: string;
  location?: Location;
  /** Where the pod's metadata sits in its resource, so a detached peer can be located later. */
  origin?: { file: string; indexInFile: number; pointer: string };
}

/** A range of external addresses (one np-guard IP atom). */
export interface IpPeer {
  type: 'ip';
  id: string;
  ips: IpSet;
}

export type Peer = PodPeer | IpPeer;

/** A port entry of a rule: which protocol, and numbers or a name still to resolve on the destination. */
export type RulePort = { protocol: Protocol; ports: PortSet } | { protocol: Protocol; named: string };

export interface NetpolPeerSelector {
  type: 'selector';
  /** undefined: the policy's own namespace. */
  namespaceSelector?: Selector;
  /** undefined: every pod of the selected namespaces. */
  podSelector?: Selector;
}

export interface NetpolIpBlock {
  type: 'ipBlock';
  /** cidr minus except, one set per family (only the cidr's family is non-empty). */
  ips: IpSet;
}

export type NetpolPeer = NetpolPeerSelector | NetpolIpBlock;

export interface NetpolRule {
  origin: RuleOrigin;
  /** undefined: every peer, external addresses included. */
  peers?: readonly NetpolPeer[];
  /** undefined: every port of every protocol. */
  ports?: readonly RulePort[];
}

export interface NetworkPolicy {
  kind: 'NetworkPolicy';
  namespace: string;
  name: string;
  podSelector: Selector;
  /** undefined when the policy does not affect that direction. */
  ingress?: readonly NetpolRule[];
  egress?: readonly NetpolRule[];
  origin: RuleOrigin;
}

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/**
 * Namespaces chosen relative to the subject's own (v0.1.0-v0.1.1 of the API): `same` selects
 * namespaces having every listed label with the subject namespace's value; `notSame` namespaces
 * having every listed label, at least one with another value.
 */
export type RelativeNamespaces = { same: readonly string[] } | { notSame: readonly string[] };

export type AdminPeer =
  | { type: 'namespaces'; namespaceSelector: Selector; relative?: RelativeNamespaces }
  | { type: 'pods'; namespaceSelector: Selector; podSelector: Selector; relative?: RelativeNamespaces }
  | { type: 'networks'; ips: readonly IpSet[] }
  /** np-guard does not model nodes; such a peer matches nothing. */
  | { type: 'nodes' };

export interface AdminRule {
  origin: RuleOrigin;
  action: AdminAction;
  peers: readonly AdminPeer[];
  /** undefined: every port of every protocol. */
  ports?: readonly RulePort[];
}

export interface AdminPolicy {
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  /** Admin: decides before the NetworkPolicies (ANP; CNP of tier Admin). Baseline: after them (BANP; CNP of tier Baseline). */
  tier: 'Admin' | 'Baseline';
  name: string;
  /** Within its tier, lower first. A BANP has none: it sorts after every other baseline policy. */
  priority: number;
  subject: Exclude<AdminPeer, { type: 'networks' } | { type: 'nodes' }>;
  ingress: readonly AdminRule[];
  egress: readonly AdminRule[];
  origin: RuleOrigin;
}

export interface PolicySet {
  networkPolicies: readonly NetworkPolicy[];
  /** The Admin tier, sorted by priority, most important first. */
  adminPolicies: readonly AdminPolicy[];
  /** The Baseline tier (the BANP, ClusterNetworkPolicies of tier Baseline), sorted by priority. */
  baselinePolicies: readonly AdminPolicy[];
}
