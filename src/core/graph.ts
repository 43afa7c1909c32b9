import type { Location } from './types.js';

/**
 * The reachability graph a report carries (`network` in the report's extras): netpol draws it,
 * the HTML report shows it. It lives here, below both, because an engine never imports a reporter
 * and a reporter never imports an engine.
 */

/** Which kind of policy decided a step, in the order the API evaluates them. */
export type PolicyTier = 'AdminNetworkPolicy' | 'NetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'default';
export type PolicyEffect = 'allow' | 'deny' | 'pass' | 'isolate';

/** One end of a drawn connection: a workload (grouped by namespace) or an address range. */
export interface GraphNode {
  id: string;
  label: string;
  kind: string;
  namespace?: string;
  /** Model servers the workload runs (ids of the server table); drawn apart from other workloads. */
  modelServers?: readonly string[];
  location?: Location;
}

/** A policy rule that took part in an edge's decision, as `netpol explain` names it. */
export interface GraphRule {
  direction: 'egress' | 'ingress';
  tier: PolicyTier;
  effect: PolicyEffect;
  policy: string;
  description: string;
  location?: Location;
}

export interface GraphEdge {
  src: string;
  dst: string;
  /** np-guard's wording: `All Connections` or `TCP 8080,UDP 53`. */
  conns: string;
  toModelServer: boolean;
  rules: GraphRule[];
}

/**
 * Who reaches whom, for people: every connection into a model server, and every other connection
 * too while the picture stays readable. `omittedEdges` counts what was left out so a report can say so.
 */
export interface ReachabilityGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  omittedEdges: number;
}
