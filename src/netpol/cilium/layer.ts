import { ConnSet, type Domain } from '../layers/connSet.js';
import type { Endpoint } from '../layers/endpoints.js';
import { matchesPeer, policiesByEndpoint } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import type { LayerStep, LayerVerdict } from '../calico/layer.js';
import type { CiliumPolicy } from './policy.js';

/**
 * The Cilium layer's verdict for one direction of one endpoint: with no policy selecting it in that
 * direction, everything; else, when some selecting policy asks for default deny, the union of the
 * allow rules that match the peer (everything otherwise), minus the union of the matching deny rules
 * ("Deny policies take precedence over allow policies, regardless of whether they are a Cilium
 * Network Policy, a Clusterwide Cilium Network Policy or even a Kubernetes Network Policy",
 * docs.cilium.io "Deny Policies"). Kubernetes NetworkPolicies join this layer as allow-only policies
 * on a Cilium cluster.
 */
export class CiliumLayer {
  private readonly byEndpoint: Map<Endpoint, { ingress: CiliumPolicy[]; egress: CiliumPolicy[] }>;

  constructor(
    readonly policies: readonly CiliumPolicy[],
    readonly domain: Domain,
  ) {
    this.byEndpoint = policiesByEndpoint(policies);
  }

  /** Sets whose union holds every endpoint peer the verdict can allow anything to; undefined: any peer (no default deny in this direction). */
  peerCandidates(subject: Endpoint, direction: 'ingress' | 'egress'): readonly ReadonlySet<Endpoint>[] | undefined {
    const policies = this.byEndpoint.get(subject)?.[direction] ?? [];
    if (!policies.some((p) => p.defaultDeny[direction])) return undefined;
    return policies.flatMap((p) => p[direction]!.filter((r) => r.action !== 'Deny').map((r) => (direction === 'ingress' ? r.src.endpoints : r.dst.endpoints)));
  }

  verdict(subject: Endpoint, direction: 'ingress' | 'egress', peer: Endpoint | IpSet, explain = false): LayerVerdict {
    const d = this.domain;
    const policies = this.byEndpoint.get(subject)?.[direction] ?? [];
    if (policies.length === 0) return { allowed: ConnSet.all(d), steps: [], captured: false };
    const src = direction === 'ingress' ? peer : subject;
    const dst = direction === 'ingress' ? subject : peer;
    const srcEp = 'kind' in src ? src : undefined;
    const dstEp = 'kind' in dst ? dst : undefined;
    const defaultDeny = policies.some((p) => p.defaultDeny[direction]);
    let allowed = ConnSet.empty(d);
    let denied = ConnSet.empty(d);
    const allowSteps: LayerStep[] = [];
    const denySteps: LayerStep[] = [];
    for (const policy of policies) {
      for (const rule of policy[direction]!) {
        if (!matchesPeer(rule.src, src) || !matchesPeer(rule.dst, dst)) continue;
        const c = rule.conns(srcEp, dstEp);
        if (c.isEmpty()) continue;
        if (rule.action === 'Deny') {
          const fresh = c.subtract(denied);
          denied = denied.union(c);
          if (explain && !fresh.isEmpty()) denySteps.push({ origin: rule.origin, action: 'Deny', conns: fresh });
        } else if (defaultDeny) {
          const fresh = c.subtract(allowed);
          allowed = allowed.union(c);
          if (explain && !fresh.isEmpty()) allowSteps.push({ origin: rule.origin, action: 'Allow', conns: fresh });
        }
      }
    }
    const base = defaultDeny ? allowed : ConnSet.all(d);
    const steps = explain ? [...denySteps, ...allowSteps.map((s) => ({ ...s, conns: s.conns.subtract(denied) })).filter((s) => !s.conns.isEmpty())] : [];
    return { allowed: base.subtract(denied), steps, captured: defaultDeny || !denied.isEmpty() };
  }
}
