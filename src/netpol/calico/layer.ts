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
 * the first matching rule of the ordered policies decides; Pass defers to the profiles (which allow
 * pods everything); no match denies once a policy selects the endpoint.
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

  verdict(subject: Endpoint, direction: 'ingress' | 'egress', peer: Peer, explain = false): LayerVerdict {
    const d = this.domain;
    const policies = this.byEndpoint.get(subject)?.[direction] ?? [];
    if (policies.length === 0) return { allowed: subject.kind === 'hep' ? ConnSet.empty(d) : ConnSet.all(d), steps: [], captured: false };
    const src = direction === 'ingress' ? peer : subject;
    const dst = direction === 'ingress' ? subject : peer;
    const srcEp = 'kind' in src ? src : undefined;
    const dstEp = 'kind' in dst ? dst : undefined;
    let decided = ConnSet.empty(d);
    let allowed = ConnSet.empty(d);
    let passed = ConnSet.empty(d);
    const steps: LayerStep[] = [];
    const all = ConnSet.all(d);
    for (const policy of policies) {
      for (const rule of policy[direction]!) {
        if (rule.action === 'Log') continue;
        if (!matchesPeer(rule.src, src) || !matchesPeer(rule.dst, dst)) continue;
        const c = rule.conns(srcEp, dstEp).subtract(decided);
        if (c.isEmpty()) continue;
        if (rule.action === 'Allow') allowed = allowed.union(c);
        else if (rule.action === 'Pass') passed = passed.union(c);
        decided = decided.union(c);
        if (explain) steps.push({ origin: rule.origin, action: rule.action, conns: c });
        if (decided.equals(all)) break;
      }
      if (decided.equals(all)) break;
    }
    if (subject.kind === 'pod') allowed = allowed.union(passed);
    return { allowed, steps, captured: true };
  }
}
