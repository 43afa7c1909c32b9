import { formatMessage } from '../../core/rule.js';
import type { Finding, Location } from '../../core/types.js';
import { intentBroken } from '../rules/intentBroken.js';
import { DNS_PEER, type HttpScope, type Intent } from '../intents.js';
import { parseCidr, IpSet } from '../sets/ipSet.js';
import { PROTOCOLS, type ConnectionSet } from '../sets/connectionSet.js';
import { coverage } from '../sets/intervals.js';
import { ConnSet, DIM, METHODS, OTHER_METHOD, TCP, ivContains, ivNormalize, type Intervals } from './connSet.js';
import type { Endpoint } from './endpoints.js';
import { explainMesh, meshPeers, namesWorkload } from './explain.js';
import { allowedBetween, protocolNames, type MeshModel, type Resolution } from './matrix.js';

/**
 * `netpol verify` on the layered engine: an intent holds when, over its ports, methods and paths,
 * the conjunction of every layer (Kubernetes/Calico/Cilium at L3/L4 on both ends, Istio and Cilium
 * at L7) makes it true. A broken intent gets one concrete request — source, destination, protocol,
 * port, method, path — and, for each layer, the rule that decided that request, with file:line.
 */

type Peer = Endpoint | IpSet;

export interface LayerWitness {
  layer: string;
  direction: 'egress' | 'ingress';
  end: string;
  /** The layer's verdict on this one request. */
  allows: boolean;
  /** The deciding rule; absent when no policy of the layer selects the end (its default applies) or none matched (denied by default). */
  rule?: string;
  action?: string;
  location?: Location;
  /** `passed on`: the end's tiers passed the request (Pass rules, tiers ending in Pass) and it was allowed after the last. */
  why: 'rule' | 'not selected' | 'no rule matched' | 'passed on';
}

export interface MeshCounterexample {
  /** `ns/pod`, or the workload `ns/name[Kind]` (then `pods` names the pods of the request). */
  src: string;
  dst: string;
  pods?: { src: string; dst: string };
  /** Whether this request is allowed (a broken allow intent: false; the others: true). */
  allowed: boolean;
  protocol: string;
  port?: number;
  method?: string;
  path?: string;
  layers: LayerWitness[];
}

export interface MeshIntentResult {
  intent: Intent;
  holds: boolean;
  counterexample?: MeshCounterexample;
  unmatched?: string;
}

/** The path patterns the intents name (the model's string classes must tell them apart). */
export function intentPaths(intents: readonly Intent[]): string[] {
  return intents.flatMap((i) => [...(i.http?.paths ?? []), ...i.onlyTo.flatMap((t) => t.http?.paths ?? [])]);
}

/**
 * `resolution`: how counterexamples name their ends — pods, or workloads (`ns/name[Kind]`, the
 * pods in `pods`). Left out: workloads for an intent that names a workload, else pods.
 */
export function verifyMeshIntents(model: MeshModel, intents: readonly Intent[], resolution?: Resolution): MeshIntentResult[] {
  return intents.map((intent) => verifyOne(model, intent, resolution ?? (intentNamesWorkload(model, intent) ? 'deployment' : 'pod')));
}

/** Whether some peer of the intent is a workload name (not a pod's, a namespace, an address or a host). */
function intentNamesWorkload(model: MeshModel, intent: Intent): boolean {
  const names = [...intent.from, ...(intent.shape === 'onlyTo' ? intent.onlyTo.map((t) => t.peer) : intent.to)];
  return names.some((n) => n !== DNS_PEER && namesWorkload(model, n));
}

/** The connections an intent speaks of: its ports (all when none) narrowed to its methods and paths. */
export function intentScope(model: MeshModel, ports: ConnectionSet | undefined, http: HttpScope | undefined): ConnSet {
  const d = model.domain;
  const l7: Partial<Record<'method' | 'path', Intervals>> = {};
  if (http?.methods) l7.method = ivNormalize(http.methods.map((m) => methodId(m)).map((i): [number, number] => [i, i]));
  if (http?.paths) l7.path = ivNormalize(http.paths.flatMap((p) => model.paths.classesOf(p)).map((c): [number, number] => [c, c]));
  if (!ports) return http ? ConnSet.cube(d, { proto: [TCP, TCP], ...l7 }) : ConnSet.all(d);
  let out = ConnSet.empty(d);
  for (const protocol of PROTOCOLS) {
    const set = ports.ports(protocol);
    if (set.isEmpty()) continue;
    const dport = set.isAll() ? undefined : ivNormalize(coverage(set.ranges).map(({ lo, hi }): [number, number] => [lo, hi - 1]));
    out = out.union(ConnSet.cube(d, { proto: [NUMBER[protocol], NUMBER[protocol]], ...(dport ? { dport } : {}), ...l7 }));
  }
  return out;
}

const NUMBER: Record<(typeof PROTOCOLS)[number], number> = { TCP: 6, UDP: 17, SCTP: 132 };

function methodId(method: string): number {
  const i = (METHODS as readonly string[]).indexOf(method);
  return i >= 0 ? i : OTHER_METHOD;
}

function verifyOne(model: MeshModel, intent: Intent, resolution: Resolution): MeshIntentResult {
  const sources = resolve(model, intent.from);
  if ('unmatched' in sources) return { intent, holds: false, unmatched: sources.unmatched };
  const targets = resolve(model, intent.shape === 'onlyTo' ? [] : intent.to);
  if ('unmatched' in targets) return { intent, holds: false, unmatched: targets.unmatched };
  const scope = intentScope(model, intent.ports, intent.http);
  const broken = (src: Peer, dst: Peer, bad: ConnSet, allowed: boolean): MeshIntentResult => ({ intent, holds: false, counterexample: witness(model, src, dst, bad, allowed, resolution) });
  const pairs = function* (froms: readonly Peer[], tos: readonly Peer[]): Generator<[Peer, Peer]> {
    for (const src of froms) for (const dst of tos) if (src !== dst && ('kind' in src || 'kind' in dst)) yield [src, dst];
  };
  switch (intent.shape) {
    case 'allow':
      for (const [src, dst] of pairs(sources.peers, targets.peers)) {
        const allowed = allowedBetween(model, src, dst);
        // Without ports, methods or paths: something must get through.
        if (!intent.ports && !intent.http) {
          if (allowed.isEmpty()) return broken(src, dst, ConnSet.all(model.domain), false);
        } else {
          const missing = scope.subtract(allowed);
          if (!missing.isEmpty()) return broken(src, dst, missing, false);
        }
      }
      break;
    case 'deny':
      for (const [src, dst] of pairs(sources.peers, targets.peers)) {
        const open = allowedBetween(model, src, dst).intersect(scope);
        if (!open.isEmpty()) return broken(src, dst, open, true);
      }
      break;
    case 'onlyFrom': {
      const permitted = new Set(sources.peers);
      const others = [...everyPod(model), ...outside(model, sources.peers)].filter((p) => !permitted.has(p));
      for (const [src, dst] of pairs(others, targets.peers)) {
        const open = allowedBetween(model, src, dst).intersect(scope);
        if (!open.isEmpty()) return broken(src, dst, open, true);
      }
      break;
    }
    case 'onlyTo': {
      const permitted = intent.onlyTo.map((t) => {
        const peers = t.peer === DNS_PEER ? undefined : resolve(model, [t.peer]);
        return { peers: peers && 'peers' in peers ? peers.peers : [], everyone: t.peer === DNS_PEER, scope: t.ports || t.http ? intentScope(model, t.ports, t.http) : ConnSet.all(model.domain) };
      });
      const named = permitted.flatMap((p) => p.peers);
      const destinations = [...everyPod(model), ...model.sidecars.dnsEntries, ...outside(model, named)];
      for (const [src, dst] of pairs(sources.peers, [...new Set([...destinations, ...named])])) {
        let open = allowedBetween(model, src, dst);
        for (const p of permitted) if (p.everyone || p.peers.some((q) => samePeer(q, dst))) open = open.subtract(p.scope);
        if (!open.isEmpty()) return broken(src, dst, open, true);
      }
      break;
    }
  }
  return { intent, holds: true };
}

function samePeer(a: Peer, b: Peer): boolean {
  if (a === b) return true;
  return !('kind' in a) && !('kind' in b) && a.family === b.family && a.contains(b);
}

/** Pods and host endpoints: what a policy may select. */
function everyPod(model: MeshModel): Endpoint[] {
  return model.topology.endpoints.filter((e) => e.kind === 'pod' || e.kind === 'hep');
}

/** The address ranges outside the cluster, split at every bound a rule or an intent names. */
function outside(model: MeshModel, named: readonly Peer[]): IpSet[] {
  const cuts = named.filter((p): p is IpSet => !('kind' in p));
  let atoms = model.ipAtoms;
  for (const cut of cuts) atoms = atoms.flatMap((a) => (a.family !== cut.family ? [a] : [a.intersect(cut), a.subtract(cut)].filter((x) => !x.isEmpty())));
  return atoms;
}

/** `ns/name` (a pod or a workload), `ns/*`, `*`, `dns:<host>`, or an IP address or CIDR. */
function resolve(model: MeshModel, patterns: readonly string[]): { peers: Peer[] } | { unmatched: string } {
  const peers: Peer[] = [];
  for (const pattern of patterns) {
    const found = matchMesh(model, pattern);
    if (found.length === 0) return { unmatched: pattern };
    peers.push(...found);
  }
  return { peers: [...new Set(peers)] };
}

function matchMesh(model: MeshModel, pattern: string): Peer[] {
  if (pattern === '*') return everyPod(model);
  if (/^[\d.]+(\/\d+)?$/.test(pattern) || (pattern.includes(':') && /^[\da-fA-F:]+(\/\d+)?$/.test(pattern))) {
    const cidr = parseCidr(pattern.includes('/') ? pattern : pattern.includes(':') ? `${pattern}/128` : `${pattern}/32`);
    if (!cidr) return [];
    const range = IpSet.range(cidr.family, cidr.first, cidr.last);
    return outside(model, [range]).filter((a) => range.contains(a));
  }
  if (pattern.endsWith('/*')) return everyPod(model).filter((e) => e.namespace === pattern.slice(0, -2));
  return meshPeers(model, pattern);
}

/** One request out of `bad` (TCP first), and each layer's word on it. */
function witness(model: MeshModel, src: Peer, dst: Peer, bad: ConnSet, allowed: boolean, resolution: Resolution): MeshCounterexample {
  const cube = bad.cubes.find((c) => ivContains(c[DIM.proto]!, TCP)) ?? bad.cubes[0]!;
  const point = cube.map((iv, dim) => (dim === DIM.proto && ivContains(iv, TCP) ? TCP : dim === DIM.method && ivContains(iv, METHODS.indexOf('POST')) ? METHODS.indexOf('POST') : iv[0]!));
  const proto = point[DIM.proto]!;
  const one = ConnSet.cube(model.domain, Object.fromEntries(Object.entries(DIM).map(([k, dim]) => [k, [point[dim]!, point[dim]!]])) as Partial<Record<keyof typeof DIM, Intervals>>);
  const ported = proto === TCP || proto === 17 || proto === 132;
  const explanation = explainMesh(model, src, dst, undefined, one, resolution);
  const layers: LayerWitness[] = explanation.layers.map((l) => {
    const allows = l.allowed === 'All' || l.allowed.length > 0;
    // The deciding rule: a Pass (Calico's, an ANP's) only hands the request to the next tier.
    const step = l.steps.findLast((s) => s.action !== 'Pass');
    return {
      layer: l.layer,
      direction: l.direction,
      end: l.end,
      allows,
      ...(step ? { rule: step.rule, action: step.action, ...(step.location ? { location: step.location } : {}) } : {}),
      why: step ? 'rule' : !l.captured ? 'not selected' : allows ? 'passed on' : 'no rule matched',
    };
  });
  return {
    src: explanation.src,
    dst: explanation.dst,
    ...(explanation.pods ? { pods: explanation.pods } : {}),
    allowed,
    protocol: protocolNames(String(proto)),
    ...(ported ? { port: point[DIM.dport]! } : {}),
    ...(proto === TCP ? { method: point[DIM.method] === OTHER_METHOD ? 'OTHER' : METHODS[point[DIM.method]!]!, path: readablePath(model, point[DIM.path]!) } : {}),
    layers,
  };
}

/** The path class's witness, with its placeholder character replaced when that keeps the class. */
function readablePath(model: MeshModel, cls: number): string {
  const w = model.paths.witnesses[cls] ?? '/';
  for (const fill of ['x', 'a', '0', '']) {
    const candidate = w.replace(/\u00a7/g, fill);
    if (candidate !== '' && model.paths.classOf(candidate) === cls) return candidate;
  }
  return w;
}

/** A counterexample on one line: the request, then each layer's deciding rule. */
export function counterexampleText(c: MeshCounterexample): string {
  const request = [c.protocol, c.port, c.method, c.path].filter((x) => x !== undefined).join(' ');
  const layers = c.layers.map((l) => {
    const where = l.location ? ` at ${l.location.file}:${l.location.line}:${l.location.column}` : '';
    const decided = l.why === 'rule' ? `${l.action} by ${l.rule}${where}` : l.why === 'not selected' ? 'no policy selects it' : l.why === 'passed on' ? 'passed on by every tier, then allowed' : 'no rule matched (denied by default)';
    return `${l.layer} ${l.direction} of ${l.end}: ${l.allows ? 'allows' : 'denies'} (${decided})`;
  });
  const pods = c.pods ? ` (pods ${c.pods.src} => ${c.pods.dst})` : '';
  return `${c.src} => ${c.dst}${pods} : ${request} is ${c.allowed ? 'allowed' : 'denied'}${layers.length > 0 ? '; ' + layers.join('; ') : ''}`;
}

/** The finding of a broken intent: the counterexample is one request and each layer's deciding rule. */
export function meshIntentFinding(result: MeshIntentResult): Finding {
  const message = result.unmatched
    ? formatMessage(intentBroken, 'unmatched', { intent: result.intent.name, peer: result.unmatched })
    : formatMessage(intentBroken, 'request', { intent: result.intent.name, request: result.counterexample ? counterexampleText(result.counterexample) : '' });
  return { checkId: intentBroken.id, severity: intentBroken.severity, title: intentBroken.title, message, location: result.intent.location, remediation: intentBroken.remediation };
}
