import { ConnSet, TCP, ivSubtract, type Domain } from '../layers/connSet.js';
import type { Endpoint } from '../layers/endpoints.js';
import { matchesPeer } from '../layers/model.js';
import type { IpSet } from '../sets/ipSet.js';
import type { IstioPolicy } from './authorizationPolicy.js';
import type { LayerStep } from '../calico/layer.js';
import type { PeerAuthentications } from './peerAuthentication.js';

/**
 * The Istio layer at a destination workload (istio.io, "Authorization Policy": "If there are any
 * DENY policies that match the request, deny the request. If there are no ALLOW policies for the
 * workload, allow the request. If any of the ALLOW policies match the request, allow the request.
 * Deny the request."). Non-TCP traffic passes: the sidecar does not intercept it. PeerAuthentication
 * adds the transport: a plaintext source (an address, a pod without a sidecar) cannot reach a STRICT
 * port, and rules that match by identity do not match where mTLS is off (DISABLE). A destination
 * without a sidecar enforces nothing.
 */
export class IstioLayer {
  private readonly byEndpoint = new Map<Endpoint, { allow: IstioPolicy[]; deny: IstioPolicy[] }>();
  private readonly nonTcp: ConnSet;

  constructor(
    readonly policies: readonly IstioPolicy[],
    readonly domain: Domain,
    readonly mtls?: PeerAuthentications,
  ) {
    for (const policy of policies) {
      for (const ep of policy.selected) {
        let entry = this.byEndpoint.get(ep);
        if (!entry) this.byEndpoint.set(ep, (entry = { allow: [], deny: [] }));
        (policy.action === 'ALLOW' ? entry.allow : entry.deny).push(policy);
      }
    }
    this.nonTcp = ConnSet.cube(domain, { proto: ivSubtract([0, 255], [TCP, TCP]) });
  }

  verdict(dst: Endpoint, src: Endpoint | IpSet, explain = false): { allowed: ConnSet; steps: LayerStep[]; captured: boolean } {
    const d = this.domain;
    if (dst.noSidecar) return { allowed: ConnSet.all(d), steps: [], captured: false };
    const mt = this.mtls && !this.mtls.empty ? this.mtls.at(dst) : undefined;
    const plaintext = !('kind' in src) || src.noSidecar === true;
    const strictOff = mt && plaintext && mt.strict.length > 0 ? ConnSet.cube(d, { proto: [TCP, TCP], dport: mt.strict }) : undefined;
    const noIdentity = mt && mt.disable.length > 0 ? ConnSet.cube(d, { proto: [TCP, TCP], dport: mt.disable }) : undefined;
    const finish = (allowed: ConnSet, steps: LayerStep[], captured: boolean): { allowed: ConnSet; steps: LayerStep[]; captured: boolean } => ({ allowed: strictOff ? allowed.subtract(strictOff) : allowed, steps, captured: captured || strictOff !== undefined });
    const entry = this.byEndpoint.get(dst);
    if (!entry) return finish(ConnSet.all(d), [], false);
    const connsOf = (rule: IstioPolicy['rules'][number]): ConnSet => {
      if (!('kind' in src)) return rule.conns;
      // Matched only by an empty identity: where mTLS is off (DISABLE), nowhere else.
      if (rule.plaintextOnly.has(src)) return noIdentity ? rule.conns.intersect(noIdentity) : ConnSet.empty(d);
      return noIdentity && rule.identityOnly.has(src) ? rule.conns.subtract(noIdentity) : rule.conns;
    };
    const steps: LayerStep[] = [];
    let denied = ConnSet.empty(d);
    for (const policy of entry.deny) {
      for (const rule of policy.rules) {
        if (!matchesPeer(rule.src, src)) continue;
        const c = connsOf(rule).subtract(denied).subtract(this.nonTcp);
        if (c.isEmpty()) continue;
        denied = denied.union(c);
        if (explain) steps.push({ origin: rule.origin, action: 'Deny', conns: c });
      }
    }
    let allowed = entry.allow.length === 0 ? ConnSet.all(d) : ConnSet.empty(d);
    for (const policy of entry.allow) {
      for (const rule of policy.rules) {
        if (!matchesPeer(rule.src, src)) continue;
        const c = connsOf(rule).subtract(allowed).subtract(denied).subtract(this.nonTcp);
        if (c.isEmpty()) continue;
        allowed = allowed.union(c);
        if (explain) steps.push({ origin: rule.origin, action: 'Allow', conns: c });
      }
    }
    return finish(allowed.subtract(denied).union(this.nonTcp), steps, entry.allow.length > 0);
  }
}
