import type { NetpolModel } from './build.js';
import type { DirectionDecision } from './eval/engine.js';
import type { Direction, Peer, RuleOrigin } from './model.js';
import type { Protocol } from './sets/connectionSet.js';
import type { ConnectionSet } from './sets/connectionSet.js';
import type { PolicyEffect, PolicyTier } from '../core/graph.js';

export type Tier = PolicyTier;

/** One policy or rule that took part in the decision of one direction. */
export interface Step {
  tier: Tier;
  effect: PolicyEffect;
  rule: RuleOrigin;
}

export interface DirectionExplanation {
  direction: Direction;
  /** The end whose policies decide (src for egress, dst for ingress). */
  end: string;
  allowed: boolean;
  conns: string;
  steps: Step[];
}

export interface Explanation {
  src: string;
  dst: string;
  port?: { protocol: Protocol; port: number };
  allowed: boolean;
  conns: string;
  egress: DirectionExplanation;
  ingress: DirectionExplanation;
}

/**
 * Why src may (or may not) open connections to dst: per direction, the admin rules that allowed,
 * denied or passed, the NetworkPolicies that isolate the end and the rules that allow, the baseline
 * and the default. With a port, only the rules that decide that port are named.
 */
export function explain(model: NetpolModel, srcId: string, dstId: string, port?: { protocol: Protocol; port: number }): Explanation | undefined {
  const src: Peer | undefined = model.pods.find((p) => p.id === srcId) ?? model.sourceIps.find((p) => p.id === srcId);
  const dst: Peer | undefined = model.pods.find((p) => p.id === dstId) ?? model.destinationIps.find((p) => p.id === dstId);
  if (!src || !dst) return undefined;
  return explainPeers(model, src, dst, port);
}

/** explain() for peers already in hand (an address slice of the compact matrix, say). */
export function explainPeers(model: NetpolModel, src: Peer, dst: Peer, port?: { protocol: Protocol; port: number }): Explanation {
  const decision = model.engine.explain(src, dst);
  const allowed = port ? decision.allowed.has(port.protocol, port.port) : !decision.allowed.isEmpty();
  return {
    src: src.id,
    dst: dst.id,
    ...(port ? { port } : {}),
    allowed,
    conns: decision.allowed.isEmpty() ? 'No Connections' : decision.allowed.toString(),
    egress: explainDirection(model, decision.egress, port),
    ingress: explainDirection(model, decision.ingress, port),
  };
}

function explainDirection(model: NetpolModel, d: DirectionDecision, port: { protocol: Protocol; port: number } | undefined): DirectionExplanation {
  const rules = model.engine.rules;
  const steps: Step[] = [];
  const origin = (id: string): RuleOrigin => rules.get(id) ?? { id, policy: id, description: id };
  /** The rules of `set` that decide the queried port, or all its rules without a port. */
  const deciding = (set: ConnectionSet | undefined): string[] => {
    if (!set) return [];
    if (!port) return set.rules();
    return [...(set.rulesFor(port.protocol, port.port) ?? [])];
  };
  for (const [effect, set] of [['deny', d.admin.deny], ['allow', d.admin.allow], ['pass', d.admin.pass]] as const) {
    for (const id of deciding(set)) steps.push({ tier: 'AdminNetworkPolicy', effect, rule: origin(id) });
  }
  const decidedByAdmin = port ? d.admin.allow.has(port.protocol, port.port) || d.admin.deny.has(port.protocol, port.port) : false;
  if (!decidedByAdmin && d.netpols.length > 0) {
    for (const policy of d.netpols) steps.push({ tier: 'NetworkPolicy', effect: 'isolate', rule: policy.origin });
    for (const id of deciding(d.netpolAllowed)) steps.push({ tier: 'NetworkPolicy', effect: 'allow', rule: origin(id) });
  } else if (!decidedByAdmin) {
    for (const [effect, set] of [['deny', d.baseline?.deny], ['allow', d.baseline?.allow]] as const) {
      for (const id of deciding(set)) steps.push({ tier: 'BaselineAdminNetworkPolicy', effect, rule: origin(id) });
    }
    if (deciding(d.allowed).includes('default/allow')) steps.push({ tier: 'default', effect: 'allow', rule: origin('default/allow') });
  }
  const allowed = port ? d.allowed.has(port.protocol, port.port) : !d.allowed.isEmpty();
  return { direction: d.direction, end: d.end.id, allowed, conns: d.allowed.isEmpty() ? 'No Connections' : d.allowed.toString(), steps };
}
