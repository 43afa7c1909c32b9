import type { Location } from '../../core/types.js';
import { parseCidr, IpSet } from '../sets/ipSet.js';
import type { LayerStep } from '../calico/layer.js';
import { ConnSet, type Domain } from './connSet.js';
import { endpointLabel, type Endpoint } from './endpoints.js';
import { allowedBetween, connsJson, type ConnEntry, type MeshModel, type Resolution } from './matrix.js';

/**
 * `netpol explain` for the layered engine: for one connection, each layer's verdict on each end
 * and the rules that decided it, with file:line. The answer (`allowed`) is the same as the matrix's
 * (allowedBetween); the layers explain it.
 */

export interface MeshExplainStep {
  rule: string;
  action: string;
  conns: 'All' | ConnEntry[];
  location?: Location;
}

export interface MeshLayerExplanation {
  /** Which layer: `Calico + Kubernetes NetworkPolicy` (`+ AdminNetworkPolicy` when the input holds any), `Cilium + Kubernetes NetworkPolicy`, `Istio AuthorizationPolicy + PeerAuthentication`, `Istio Sidecar`, `Kubernetes Ingress`, `Istio Gateway`. */
  layer: string;
  direction: 'egress' | 'ingress';
  /** The endpoint whose policies speak (the source for egress, the destination for ingress). */
  end: string;
  /** Whether some policy of the layer selects that end; when not, the layer's default applies. */
  captured: boolean;
  allowed: 'All' | ConnEntry[];
  steps: MeshExplainStep[];
}

export interface MeshExplanation {
  /** `ns/pod`, or at deployment resolution the workload `ns/name[Kind]` (then `pods` names the pods explained). */
  src: string;
  dst: string;
  pods?: { src: string; dst: string };
  /** The connection asked about (`8080/TCP`), or undefined: every connection. */
  port?: string;
  allowed: boolean;
  conns: 'All' | ConnEntry[];
  layers: MeshLayerExplanation[];
}

type Peer = Endpoint | IpSet;

/** The endpoints a `--from`/`--to` value names: `ns/name` (a pod or a workload), `dns:<host>`, or an IP address/CIDR. */
export function meshPeers(model: MeshModel, text: string): Peer[] {
  if (/^[\d.]+(\/\d+)?$/.test(text) || (text.includes(':') && /^[\da-fA-F:]+(\/\d+)?$/.test(text))) {
    const cidr = parseCidr(text.includes('/') ? text : text.includes(':') ? `${text}/128` : `${text}/32`);
    return cidr ? [IpSet.range(cidr.family, cidr.first, cidr.last)] : [];
  }
  const all = [...model.topology.endpoints, ...model.sidecars.dnsEntries];
  const exact = all.filter((ep) => ep.name === text);
  if (exact.length > 0) return exact;
  // `ns/name[Kind]` (and `ns/name[Kind]/<index>`, one pod spec of several), as explanations and the NetworkPolicy engine name workloads.
  const kinded = /^(.*)\[([A-Za-z]+)\](\/\d+)?$/.exec(text);
  if (kinded) return all.filter((ep) => ep.workload === kinded[1]! + (kinded[3] ?? '') && (ep.workloadKind ?? 'Pod') === kinded[2]);
  return all.filter((ep) => ep.workload === text);
}

/** Whether a `--from`/`--to` value names a workload (not a pod, an address or a host): explanations then name workloads. */
export function namesWorkload(model: MeshModel, text: string): boolean {
  const peers = meshPeers(model, text);
  return peers.length > 0 && peers.every((p) => 'kind' in p && p.kind === 'pod' && p.name !== text);
}

function restrict(domain: Domain, port?: { protocol: number; port: number }): ConnSet {
  return port ? ConnSet.cube(domain, { proto: [port.protocol, port.protocol], dport: [port.port, port.port] }) : ConnSet.all(domain);
}

/** `within`: the connections to explain (default: the port, or every connection); `resolution`: how ends are named. */
export function explainMesh(model: MeshModel, src: Peer, dst: Peer, port?: { protocol: number; port: number; text: string }, within?: ConnSet, resolution: Resolution = 'pod'): MeshExplanation {
  const d = model.domain;
  const scope = within ?? restrict(d, port);
  const name = (p: Peer): string => ('kind' in p ? endpointLabel(p, resolution) : `ip:${p.toString()}`);
  const podName = (p: Peer): string => ('kind' in p ? p.name : `ip:${p.toString()}`);
  const json = (c: ConnSet): 'All' | ConnEntry[] => connsJson(c.intersect(scope), model);
  const steps = (list: readonly LayerStep[]): MeshExplainStep[] =>
    list.flatMap((s) => {
      const c = s.conns.intersect(scope);
      return c.isEmpty() ? [] : [{ rule: s.origin.rule, action: s.action, conns: connsJson(c, model), ...(s.origin.location ? { location: s.origin.location } : {}) }];
    });
  const layers: MeshLayerExplanation[] = [];
  const srcEp = 'kind' in src ? src : undefined;
  const dstEp = 'kind' in dst ? dst : undefined;
  const toDns = dstEp?.kind === 'dns';
  // AdminNetworkPolicies, the BaselineAdminNetworkPolicy and ClusterNetworkPolicies run in tiers of the Calico layer (calico/adminTiers.ts).
  const withAdmin = !model.cilium && model.calico.policies.some((p) => p.kind === 'AdminNetworkPolicy' || p.kind === 'BaselineAdminNetworkPolicy' || p.kind === 'ClusterNetworkPolicy');
  const l3 = model.cilium ? 'Cilium + Kubernetes NetworkPolicy' : withAdmin ? 'Calico + Kubernetes NetworkPolicy + AdminNetworkPolicy' : 'Calico + Kubernetes NetworkPolicy';
  if (!toDns) {
    const layer = model.cilium ?? model.calico;
    if (srcEp) {
      const v = layer.verdict(srcEp, 'egress', dst, true);
      layers.push({ layer: l3, direction: 'egress', end: name(srcEp), captured: v.captured, allowed: json(v.allowed), steps: steps(v.steps) });
    }
    if (dstEp) {
      const v = layer.verdict(dstEp, 'ingress', src, true);
      layers.push({ layer: l3, direction: 'ingress', end: name(dstEp), captured: v.captured, allowed: json(v.allowed), steps: steps(v.steps) });
    }
    if (dstEp) {
      const v = model.istio.verdict(dstEp, src, true);
      layers.push({ layer: 'Istio AuthorizationPolicy + PeerAuthentication', direction: 'ingress', end: name(dstEp), captured: v.captured, allowed: json(v.allowed), steps: steps(v.steps) });
    }
  }
  if (toDns && srcEp && model.cilium) {
    const v = model.cilium.verdict(srcEp, 'egress', dst, true);
    layers.push({ layer: l3, direction: 'egress', end: name(srcEp), captured: v.captured, allowed: json(v.allowed), steps: steps(v.steps) });
  }
  if (srcEp && (!model.sidecars.empty || toDns)) {
    const v = model.sidecars.egress(srcEp, dst);
    layers.push({ layer: 'Istio Sidecar', direction: 'egress', end: name(srcEp), captured: v.config !== undefined, allowed: json(v.allowed), steps: v.config ? [{ rule: v.config.origin.rule, action: v.allowed.isEmpty() ? 'Deny' : 'Allow', conns: json(v.allowed), ...(v.config.origin.location ? { location: v.config.origin.location } : {}) }] : [] });
  }
  if (srcEp && model.ingress.controllers.has(srcEp)) {
    const v = model.ingress.egress(srcEp, dst);
    layers.push({ layer: 'Kubernetes Ingress', direction: 'egress', end: name(srcEp), captured: true, allowed: json(v.allowed), steps: v.routes.map((r) => ({ rule: r.origin.rule, action: 'Allow', conns: json(v.allowed), ...(r.origin.location ? { location: r.origin.location } : {}) })) });
  }
  if (srcEp && model.gateways.judgesEgress(srcEp, dst)) {
    const v = model.gateways.egress(srcEp, dst);
    const denied = v.denied ? [{ rule: `${v.denied.rule}: the host is reached through the egress gateway only`, action: 'Deny', conns: json(ConnSet.all(d)), ...(v.denied.location ? { location: v.denied.location } : {}) }] : [];
    layers.push({ layer: 'Istio Gateway', direction: 'egress', end: name(srcEp), captured: true, allowed: json(v.allowed), steps: [...denied, ...v.rules.map((r) => ({ rule: r.origin.rule, action: 'Allow', conns: json(r.conns), ...(r.origin.location ? { location: r.origin.location } : {}) }))] });
  }
  if (dstEp && model.gateways.egressFlows.captured.has(dstEp)) {
    const v = model.gateways.ingress(dstEp, src);
    layers.push({ layer: 'Istio Gateway', direction: 'ingress', end: name(dstEp), captured: true, allowed: json(v.allowed), steps: v.rules.map((r) => ({ rule: r.origin.rule, action: 'Allow', conns: json(r.conns), ...(r.origin.location ? { location: r.origin.location } : {}) })) });
  }
  const allowed = allowedBetween(model, src, dst).intersect(scope);
  const byWorkload = name(src) !== podName(src) || name(dst) !== podName(dst);
  return { src: name(src), dst: name(dst), ...(byWorkload ? { pods: { src: podName(src), dst: podName(dst) } } : {}), ...(port ? { port: port.text } : {}), allowed: !allowed.isEmpty(), conns: connsJson(allowed, model), layers };
}
