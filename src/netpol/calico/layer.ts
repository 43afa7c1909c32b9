import { ConnSet, type Domain } from '../layers/connSet.js';
import type { Endpoint } from '../layers/endpoints.js';
import { matchesPeer, policiesByEndpoint, type LayerOrigin, type LayerPolicy } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';

export type Peer = Endpoint | IpSet;

/** One decision of the layer, for explain: which rule, which action, over which connections. */
export interface LayerStep {
  origin: LayerOrigin;
  action: string;
  conns: ConnSet;
}

export interface LayerVerdict {
  allowed: ConnSet;
  /** The rules that decided part of the connections, first first; empty when no policy selects the endpoint. */
  steps: LayerStep[];
  /** Whether some policy selects the endpoint in this direction. */
  captured: boolean;
}

/**
 * The Calico layer's verdict for one direction of one endpoint (`subject`) talking to `peer`:
 * tier by tier (the policies come sorted by tier, then order), the first matching rule decides; Pass
 * goes on to the next tier that applies to the endpoint, and after the last to the profiles (which
 * allow pods everything); a tier that applies but takes no action denies (or passes, when its
 * defaultAction is Pass).
 */
export class CalicoLayer {
  private readonly byEndpoint: Map<Endpoint, { ingress: LayerPolicy[]; egress: LayerPolicy[] }>;

  constructor(
    readonly policies: readonly LayerPolicy[],
    readonly domain: Domain,
  ) {
    this.byEndpoint = policiesByEndpoint(policies);
  }

  isCaptured(subject: Endpoint, direction: 'ingress' | 'egress'): boolean {
    return (this.byEndpoint.get(subject)?.[direction].length ?? 0) > 0;
  }

  /**
   * Sets whose union holds every endpoint peer the verdict can allow anything to, or undefined when
   * that may be any peer: no policy selects the subject (a pod is then open), or every tier that
   * applies passes by default (a pod's profile then allows what no rule matched). Otherwise only an
   * Allow or Pass rule that matches the peer opens something: an unmatched peer is passed on by the
   * tiers that pass by default (the ANP and BANP tiers) and denied at the end of the first that does
   * not.
   */
  peerCandidates(subject: Endpoint, direction: 'ingress' | 'egress'): readonly ReadonlySet<Endpoint>[] | undefined {
    const policies = this.byEndpoint.get(subject)?.[direction] ?? [];
    if (policies.length === 0) return subject.kind === 'hep' ? [] : undefined;
    if (subject.kind === 'pod' && policies.every((p) => p.tier?.defaultAction === 'Pass')) return undefined;
    return policies.flatMap((p) => p[direction]!.filter((r) => r.action === 'Allow' || r.action === 'Pass').map((r) => (direction === 'ingress' ? r.src.endpoints : r.dst.endpoints)));
  }

  verdict(subject: Endpoint, direction: 'ingress' | 'egress', peer: Peer, explain = false): LayerVerdict {
    const d = this.domain;
    const policies = this.byEndpoint.get(subject)?.[direction] ?? [];
    if (policies.length === 0) return { allowed: subject.kind === 'hep' ? ConnSet.empty(d) : ConnSet.all(d), steps: [], captured: false };
    const src = direction === 'ingress' ? peer : subject;
    const dst = direction === 'ingress' ? subject : peer;
    const srcEp = 'kind' in src ? src : undefined;
    const dstEp = 'kind' in dst ? dst : undefined;
    const all = ConnSet.all(d);
    const steps: LayerStep[] = [];
    let allowed = ConnSet.empty(d);
    // What is still undecided when a tier starts: everything at first, then what the tiers passed on.
    let open = all;
    for (let i = 0; i < policies.length && !open.isEmpty(); ) {
      const tier = policies[i]!.tier;
      let decided = ConnSet.empty(d);
      let passed = ConnSet.empty(d);
      for (; i < policies.length && policies[i]!.tier === tier; i++) {
        if (decided.equals(open)) continue;
        for (const rule of policies[i]![direction]!) {
          if (rule.action === 'Log') continue;
          if (!matchesPeer(rule.src, src) || !matchesPeer(rule.dst, dst)) continue;
          const matched = rule.conns(srcEp, dstEp);
          const c = (open === all ? matched : matched.intersect(open)).subtract(decided);
          if (c.isEmpty()) continue;
          if (rule.action === 'Allow') allowed = allowed.union(c);
          else if (rule.action === 'Pass') passed = passed.union(c);
          decided = decided.union(c);
          if (explain) steps.push({ origin: rule.origin, action: rule.action, conns: c });
          if (decided.equals(open)) break;
        }
      }
      // The end of a tier that took no action: Deny, unless the tier's defaultAction is Pass.
      open = tier?.defaultAction === 'Pass' ? passed.union(open.subtract(decided)) : passed;
    }
    // After the last tier, the profiles: pods are allowed what was passed on, host endpoints nothing.
    if (subject.kind === 'pod') allowed = allowed.union(open);
    return { allowed, steps, captured: true };
  }
}
