import type { GraphEdge, GraphNode, GraphRule, ReachabilityGraph } from '../core/graph.js';
import type { NetpolModel } from './build.js';
import { explainPeers } from './explain.js';
import { computeCompactMatrix, computeMatrix } from './matrix.js';
import type { Peer } from './model.js';

export type { GraphEdge, GraphNode, GraphRule, ReachabilityGraph };

export interface GraphLimits {
  /** Below this many connections in all, every connection is drawn, not only those into model servers. */
  drawAllBelow: number;
  /** Hard cap on drawn edges (the model-server ones come first). */
  maxEdges: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = { drawAllBelow: 400, maxEdges: 2000 };

export function reachabilityGraph(model: NetpolModel, limits: GraphLimits = DEFAULT_GRAPH_LIMITS): ReachabilityGraph {
  // The same entries as `netpol matrix` in the model's mode (address sets whole outside np-guard's).
  const entries = model.mode === 'np-guard' ? computeMatrix(model) : computeCompactMatrix(model);
  const servesModels = (peer: Peer): boolean => peer.type === 'pod' && (peer.modelServers?.length ?? 0) > 0;
  const ordered = [...entries.filter((e) => servesModels(e.dst)), ...(entries.length < limits.drawAllBelow ? entries.filter((e) => !servesModels(e.dst)) : [])];
  const drawn = ordered.slice(0, limits.maxEdges);
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  for (const entry of drawn) {
    for (const peer of [entry.src, entry.dst]) if (!nodes.has(peer.id)) nodes.set(peer.id, nodeOf(peer));
    const rules: GraphRule[] = [];
    const seen = new Set<string>();
    // An address set is explained slice by slice (each slice is decided by its own rules).
    const pairs: [Peer, Peer][] = entry.slices ? entry.slices.map((s) => (entry.src.type === 'ip' ? [s, entry.dst] : [entry.src, s])) : [[entry.src, entry.dst]];
    for (const [src, dst] of pairs) {
      const explanation = explainPeers(model, src, dst);
      for (const side of [explanation.egress, explanation.ingress]) {
        for (const step of side.steps) {
          const rule: GraphRule = { direction: side.direction, tier: step.tier, effect: step.effect, policy: step.rule.policy, description: step.rule.description, ...(step.rule.location ? { location: step.rule.location } : {}) };
          const key = JSON.stringify(rule);
          if (!seen.has(key)) rules.push(rule);
          seen.add(key);
        }
      }
    }
    edges.push({ src: entry.src.id, dst: entry.dst.id, conns: entry.allowed.toString(), toModelServer: servesModels(entry.dst), rules });
  }
  return { nodes: [...nodes.values()], edges, omittedEdges: entries.length - drawn.length };
}

function nodeOf(peer: Peer): GraphNode {
  if (peer.type === 'ip') return { id: peer.id, label: peer.id, kind: 'addresses' };
  return {
    id: peer.id,
    label: peer.name,
    kind: peer.kind,
    namespace: peer.namespace,
    ...(peer.modelServers?.length ? { modelServers: peer.modelServers } : {}),
    ...(peer.location ? { location: { ...peer.location } } : {}),
  };
}
