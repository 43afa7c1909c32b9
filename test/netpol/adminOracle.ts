import { expect } from 'vitest';
import type { NetpolModel } from '../../src/netpol/build.js';
import type { Peer } from '../../src/netpol/model.js';
import { parseAddress } from '../../src/netpol/sets/ipSet.js';
import { EXTERNAL, NAMESPACE_LABELS, PROBE_PORTS, PROTOCOLS, type Json, type Labels, type PodSpec } from './adminScenario.js';

/**
 * The naive oracle of the NetworkPolicy engine's property tests: it reads the objects as written
 * and decides one (source, destination, protocol, port) at a time by the words of the API docs:
 * the Admin tier (ANPs, or ClusterNetworkPolicies of tier Admin) by priority then rule order (first
 * match wins; Allow/Accept and Deny decide, Pass moves on), then the NetworkPolicies that select the
 * end (isolated: allowed only if a rule matches), else the Baseline tier (the BANP, or
 * ClusterNetworkPolicies of tier Baseline: first match; only Deny denies), else allowed. Policies
 * are in the ANP shape (portNumber, portRange, namedPort; action Allow for Accept).
 */

/** The policies of a question, each tier in priority order. */
export interface OracleScenario {
  netpols: Json[];
  admin: Json[];
  baseline: Json[];
}

function matchSelector(sel: Json | undefined, l: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Labels)) if (l[k] !== v) return false;
  for (const e of (sel.matchExpressions ?? []) as { key: string; operator: string; values?: string[] }[]) {
    const has = e.key in l;
    const ok = e.operator === 'In' ? has && (e.values ?? []).includes(l[e.key] as string) : e.operator === 'NotIn' ? !has || !(e.values ?? []).includes(l[e.key] as string) : e.operator === 'Exists' ? has : !has;
    if (!ok) return false;
  }
  return true;
}
const nsLabels = (ns: string): Labels => ({ ...NAMESPACE_LABELS[ns], 'kubernetes.io/metadata.name': ns });
export type End = { pod: PodSpec } | { ip: bigint };
export const ipOf = (text: string): bigint => parseAddress(text)?.value ?? 0n;
function inCidr(ip: bigint, c: string): boolean {
  const [base, prefix] = c.split('/');
  const bitsOff = 32n - BigInt(prefix ?? 32);
  return ip >> bitsOff === ipOf(base as string) >> bitsOff;
}

function containerPort(pod: PodSpec, name: string): { port: number; protocol: string } | undefined {
  const c = pod.ports.find((p) => p.name === name);
  return c ? { port: c.containerPort, protocol: c.protocol ?? 'TCP' } : undefined;
}

function netpolPortMatches(ports: Json[] | undefined, dst: End, proto: string, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const pp = (p.protocol as string | undefined) ?? 'TCP';
    if (pp !== proto) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') {
      const c = 'pod' in dst ? containerPort(dst.pod, p.port) : undefined;
      return c !== undefined && c.protocol === pp && c.port === port;
    }
    return port >= (p.port as number) && port <= ((p.endPort as number | undefined) ?? (p.port as number));
  });
}

function netpolPeerMatches(peer: Json, other: End, policyNs: string): boolean {
  if (peer.ipBlock) {
    const block = peer.ipBlock as { cidr: string; except?: string[] };
    return 'ip' in other && inCidr(other.ip, block.cidr) && !(block.except ?? []).some((e) => inCidr(other.ip, e));
  }
  if (!('pod' in other)) return false;
  const nsOk = peer.namespaceSelector ? matchSelector(peer.namespaceSelector as Json, nsLabels(other.pod.namespace)) : other.pod.namespace === policyNs;
  return nsOk && matchSelector(peer.podSelector as Json | undefined, other.pod.labels);
}

/** A namespaces peer, in either form; `subjectNs` is the namespace of the policy's own end. */
function namespacesMatch(namespaces: Json, ns: string, subjectNs: string | undefined): boolean {
  const mine = nsLabels(ns);
  const theirs = subjectNs === undefined ? {} : nsLabels(subjectNs);
  if (namespaces.sameLabels) return (namespaces.sameLabels as string[]).every((k) => k in mine && mine[k] === theirs[k]);
  if (namespaces.notSameLabels) return (namespaces.notSameLabels as string[]).every((k) => k in mine) && (namespaces.notSameLabels as string[]).some((k) => mine[k] !== theirs[k]);
  return matchSelector((namespaces.namespaceSelector ?? namespaces) as Json, mine);
}

function adminPeerMatches(peer: Json, other: End, subjectNs?: string): boolean {
  if (peer.networks) return 'ip' in other && (peer.networks as string[]).some((c) => inCidr(other.ip, c));
  if (!('pod' in other)) return false;
  if (peer.namespaces) return namespacesMatch(peer.namespaces as Json, other.pod.namespace, subjectNs);
  const pods = peer.pods as { namespaceSelector?: Json; namespaces?: Json; podSelector: Json };
  return namespacesMatch(pods.namespaces ?? pods.namespaceSelector ?? {}, other.pod.namespace, subjectNs) && matchSelector(pods.podSelector, other.pod.labels);
}

function adminPortMatches(ports: Json[] | undefined, dst: End, proto: string, port: number): boolean {
  if (!ports) return true;
  return ports.some((p) => {
    if (p.portNumber) return (p.portNumber as Json).protocol === proto && (p.portNumber as Json).port === port;
    if (p.portRange) return (p.portRange as Json).protocol === proto && port >= ((p.portRange as Json).start as number) && port <= ((p.portRange as Json).end as number);
    const c = 'pod' in dst ? containerPort(dst.pod, p.namedPort as string) : undefined;
    return c !== undefined && c.protocol === proto && c.port === port;
  });
}

function firstAction(policies: Json[], dir: 'ingress' | 'egress', end: PodSpec, other: End, dst: End, proto: string, port: number): string | undefined {
  for (const p of policies) {
    const rules = (p[dir] ?? []) as Json[];
    if (rules.length === 0 || !adminPeerMatches(p.subject as Json, { pod: end })) continue;
    for (const r of rules) {
      if ((r[dir === 'ingress' ? 'from' : 'to'] as Json[]).some((peer) => adminPeerMatches(peer, other, end.namespace)) && adminPortMatches(r.ports as Json[] | undefined, dst, proto, port)) return r.action as string;
    }
  }
  return undefined;
}

export function directionAllows(s: OracleScenario, dir: 'ingress' | 'egress', src: End, dst: End, proto: string, port: number): boolean {
  const endSide = dir === 'ingress' ? dst : src;
  const other = dir === 'ingress' ? src : dst;
  if (!('pod' in endSide)) return true;
  const end = endSide.pod;
  const anp = firstAction(s.admin, dir, end, other, dst, proto, port);
  if (anp === 'Allow') return true;
  if (anp === 'Deny') return false;
  const selecting = s.netpols.filter((n) => {
    const types = n.policyTypes as string[] | undefined;
    const affects = types ? types.includes(dir === 'ingress' ? 'Ingress' : 'Egress') : dir === 'ingress' || ((n.egress as Json[] | undefined)?.length ?? 0) > 0;
    return affects && n.namespace === end.namespace && matchSelector(n.podSelector as Json, end.labels);
  });
  if (selecting.length > 0) {
    return selecting.some((n) =>
      ((n[dir] ?? []) as Json[]).some((r) => {
        const peers = r[dir === 'ingress' ? 'from' : 'to'] as Json[] | undefined;
        return (!peers || peers.length === 0 || peers.some((peer) => netpolPeerMatches(peer, other, n.namespace as string))) && netpolPortMatches(r.ports as Json[] | undefined, dst, proto, port);
      }),
    );
  }
  return firstAction(s.baseline, dir, end, other, dst, proto, port) !== 'Deny';
}

/**
 * The engine's verdict equals the oracle's for every (source, destination, protocol, port) of the
 * scenario: each pod and each external address of EXTERNAL, both ways, on PROBE_PORTS.
 */
export function expectOracleAgrees(model: NetpolModel, pods: readonly PodSpec[], tiers: OracleScenario): void {
  const peerOf = (p: PodSpec): Peer => model.pods.find((x) => x.id === `${p.namespace}/${p.name}[Pod]`) as Peer;
  const atom = (ip: string, side: 'src' | 'dst'): Peer => (side === 'src' ? model.sourceIps : model.destinationIps).find((a) => a.ips.family === 4 && a.ips.ranges.some((r) => ipOf(ip) >= r.lo && ipOf(ip) < r.hi)) as Peer;
  const ends: { end: End; src: Peer; dst: Peer }[] = [...pods.map((p) => ({ end: { pod: p } as End, src: peerOf(p), dst: peerOf(p) })), ...EXTERNAL.map((ip) => ({ end: { ip: ipOf(ip) } as End, src: atom(ip, 'src'), dst: atom(ip, 'dst') }))];
  for (const a of ends) {
    for (const b of ends) {
      if (a === b || ('ip' in a.end && 'ip' in b.end)) continue;
      const allowed = model.engine.allowed(a.src, b.dst);
      for (const proto of PROTOCOLS) {
        for (const port of PROBE_PORTS) {
          const want = directionAllows(tiers, 'egress', a.end, b.end, proto, port) && directionAllows(tiers, 'ingress', a.end, b.end, proto, port);
          if (allowed.has(proto, port) !== want) expect({ src: a.src.id, dst: b.dst.id, proto, port, engine: allowed.has(proto, port) }).toEqual({ src: a.src.id, dst: b.dst.id, proto, port, engine: want });
        }
      }
    }
  }
}
