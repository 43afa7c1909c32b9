import type { AdminPolicy, Direction, Namespace, NetpolPeer, NetpolRule, NetworkPolicy, Peer, PolicySet, RuleOrigin } from '../model.js';
import { ConnectionSet } from '../sets/connectionSet.js';
import type { IpSet } from '../sets/ipSet.js';
import { adminSelects, adminVerdicts, hasRelativePeers, NO_VERDICTS, type TierVerdicts } from './adminPolicies.js';
import { netpolPeerMatches, ruleConnections, type MatchContext, type MatchOptions } from './match.js';
import { netpolAllowed, selects } from './networkPolicies.js';

/** The rule id of "no policy isolates this end": everything not denied by an admin tier is allowed. */
export const DEFAULT_ALLOW = 'default/allow';

export const DEFAULT_ORIGIN: RuleOrigin = { id: DEFAULT_ALLOW, policy: 'default', description: 'no NetworkPolicy selects this end for this direction, so it is not isolated' };

/** How one direction of a connection was decided, tier by tier (ANP → NetworkPolicy → BANP). */
export interface DirectionDecision {
  direction: Direction;
  /** The end whose policies decide this direction (src for egress, dst for ingress). */
  end: Peer;
  admin: TierVerdicts;
  adminPolicies: readonly AdminPolicy[];
  /** NetworkPolicies that select the end: when any does, they decide what the admin tier left open. */
  netpols: readonly NetworkPolicy[];
  netpolAllowed?: ConnectionSet;
  baseline?: TierVerdicts;
  allowed: ConnectionSet;
}

/** Performance knobs; answers never depend on them. */
export interface EngineTuning {
  /**
   * Per-pair questions about one ingress signature before its whole row is built. Rows pay off when
   * many sources ask (open egress); sparse questions are cheaper one by one.
   */
  ingressRowAfter: number;
}

export const DEFAULT_TUNING: EngineTuning = { ingressRowAfter: 64 };

interface Selection {
  admin: AdminPolicy[];
  netpols: NetworkPolicy[];
  /** The Baseline tier policies that select the end, in priority order. */
  baseline: AdminPolicy[];
}

/**
 * The reachability engine: per direction, the admin tier in priority order, then the
 * NetworkPolicies that select the end (if any), else the baseline; a connection is allowed when the
 * source's egress and the destination's ingress both allow it.
 *
 * Two shortcuts keep it fast on large clusters without changing an answer: ends selected by the same
 * policies share one "row" (what they allow with each other peer, built by walking each rule's
 * matched peers once), and ends under an admin tier share results per equivalence class of peers.
 */
export class Engine {
  readonly rules = new Map<string, RuleOrigin>([[DEFAULT_ALLOW, DEFAULT_ORIGIN]]);
  private readonly context: MatchContext;
  private readonly index = new Map<Peer, number>();
  private readonly podsByNamespace = new Map<string, number[]>();
  private readonly netpolsByNamespace = new Map<string, NetworkPolicy[]>();
  private readonly signature: Record<Direction, Map<Peer, number>> = { ingress: new Map(), egress: new Map() };
  private readonly selections: Record<Direction, Selection[]> = { ingress: [], egress: [] };
  private readonly cache: Record<Direction, Map<number, ConnectionSet>> = { ingress: new Map(), egress: new Map() };
  private readonly rows: Record<Direction, (Row | undefined)[]> = { ingress: [], egress: [] };
  private readonly ingressQuestions: number[] = [];
  /** By peer index: each direction's signature and the peer's class (arrays, for the matrix's inner loop). */
  private readonly sigAt: Record<Direction, Int32Array>;
  private readonly classAt: Int32Array;
  /** Matched peers per from/to shape: many policies repeat one peer (DNS, same-namespace), so shape is the key. */
  private readonly ruleTargets = new Map<string, number[]>();
  private readonly mergedTargets = new WeakMap<NetpolRule, number[]>();
  /** Where each peer index stands in a long target list (-1: absent), built when first asked. */
  private readonly targetIndex = new WeakMap<readonly number[], Int32Array>();
  private ipPeerIndices?: number[];
  private readonly portShapes: (number | undefined)[] = [];
  private readonly portShapeIds = new Map<string, number>();
  private inverse?: { peersOfSignature: number[][]; rowsNaming: (number[] | undefined)[]; notRowDecided: number[] };
  private readonly classCount: number;
  private readonly allConnections = ConnectionSet.all([DEFAULT_ALLOW]);

  constructor(
    readonly peers: readonly Peer[],
    namespaces: ReadonlyMap<string, Namespace>,
    readonly policies: PolicySet,
    options: MatchOptions,
    private readonly tuning: EngineTuning = DEFAULT_TUNING,
  ) {
    this.context = { ...options, namespaces };
    for (const p of policies.networkPolicies) this.netpolsByNamespace.set(p.namespace, [...(this.netpolsByNamespace.get(p.namespace) ?? []), p]);
    for (const p of [...policies.networkPolicies, ...policies.adminPolicies, ...policies.baselinePolicies]) {
      this.rules.set(p.origin.id, p.origin);
      for (const r of [...(p.ingress ?? []), ...(p.egress ?? [])]) this.rules.set(r.origin.id, r.origin);
    }
    this.sigAt = { ingress: new Int32Array(peers.length), egress: new Int32Array(peers.length) };
    this.classAt = new Int32Array(peers.length);
    const classes = new Map<string, number>();
    const signatures: Record<Direction, Map<string, number>> = { ingress: new Map(), egress: new Map() };
    // Admin policies whose rules choose namespaces relative to the end's own, once per direction.
    const adminAndBaseline = [...policies.adminPolicies, ...policies.baselinePolicies];
    const relativePolicies: Record<Direction, Set<AdminPolicy>> = {
      ingress: new Set(adminAndBaseline.filter((a) => hasRelativePeers(a, 'ingress'))),
      egress: new Set(adminAndBaseline.filter((a) => hasRelativePeers(a, 'egress'))),
    };
    peers.forEach((peer, i) => {
      this.index.set(peer, i);
      if (peer.type === 'pod') {
        const list = this.podsByNamespace.get(peer.namespace);
        if (list) list.push(i);
        else this.podsByNamespace.set(peer.namespace, [i]);
      }
      const key = peer.type === 'ip' ? `ip ${peer.id}` : JSON.stringify([peer.namespace, Object.entries(peer.labels).sort(), peer.ports, peer.ips.map(String)]);
      if (!classes.has(key)) classes.set(key, classes.size);
      this.classAt[i] = classes.get(key) as number;
      for (const direction of ['ingress', 'egress'] as const) {
        const selection = this.select(peer, direction);
        // Ingress resolves named ports on the selected pod, so its ports are part of the signature.
        const ports = direction === 'ingress' && peer.type === 'pod' ? JSON.stringify(peer.ports) : '';
        // Rules choosing namespaces relative to the end's own make the answer depend on that namespace.
        const relative = peer.type === 'pod' && selection && [...selection.admin, ...selection.baseline].some((a) => relativePolicies[direction].has(a)) ? peer.namespace : '';
        const sigKey = selection ? `${selection.admin.map((a) => a.origin.id).join(',')}|${selection.netpols.map((n) => n.origin.id).join(',')}|${selection.baseline.map((b) => b.origin.id).join(',')}|${ports}|${relative}` : 'open';
        let sig = signatures[direction].get(sigKey);
        if (sig === undefined) {
          sig = signatures[direction].size;
          signatures[direction].set(sigKey, sig);
          this.selections[direction].push(selection ?? { admin: [], netpols: [], baseline: [] });
        }
        this.signature[direction].set(peer, sig);
        this.sigAt[direction][i] = sig;
      }
    });
    this.classCount = classes.size;
  }

  /** The connections src may open to dst. */
  allowed(src: Peer, dst: Peer): ConnectionSet {
    const egress = this.directional('egress', src, dst);
    if (egress.isEmpty()) return egress;
    const ingress = this.directional('ingress', src, dst);
    if (ingress === this.allConnections) return egress;
    if (egress === this.allConnections) return ingress;
    return egress.intersect(ingress);
  }

  /**
   * The only destinations src may reach when its egress is decided by NetworkPolicies alone (the
   * peers some rule of theirs matches); undefined when any peer may be reachable.
   */
  egressCandidates(src: Peer): Peer[] | undefined {
    const sig = this.signature.egress.get(src);
    const selection = sig === undefined ? undefined : this.selections.egress[sig];
    if (sig === undefined || !selection || !this.rowBased(selection)) return undefined;
    return this.row('egress', sig, src).keys().map((i) => this.peers[i] as Peer);
  }

  /**
   * The only sources that may reach dst when its ingress is decided by NetworkPolicies alone (the
   * peers some rule of theirs matches); undefined when any peer may.
   */
  ingressCandidates(dst: Peer): Peer[] | undefined {
    const sig = this.signature.ingress.get(dst);
    const selection = sig === undefined ? undefined : this.selections.ingress[sig];
    if (sig === undefined || !selection || !this.rowBased(selection)) return undefined;
    return this.row('ingress', sig, dst).keys().map((i) => this.peers[i] as Peer);
  }

  /**
   * What decides `end`'s verdicts on external addresses for `direction`: the address sets its rules
   * name (admin networks, NetworkPolicy ipBlocks, baseline networks; the verdict changes only at
   * their bounds), and a key equal for ends whose verdicts on every address are equal (the selection
   * signature: policies, the ports named ports resolve on, the namespace relative peers read).
   */
  externalView(direction: Direction, end: Peer): { key: number | undefined; bounds: IpSet[] } {
    const sig = this.signature[direction].get(end);
    const selection = sig !== undefined ? this.selections[direction][sig] : end.type === 'pod' ? this.select(end, direction) : undefined;
    const bounds: IpSet[] = [];
    if (!selection) return { key: sig, bounds };
    const admins = [...selection.admin, ...selection.baseline];
    for (const policy of admins) for (const rule of policy[direction]) for (const peer of rule.peers) if (peer.type === 'networks') bounds.push(...peer.ips);
    for (const policy of selection.netpols) for (const rule of policy[direction] ?? []) for (const peer of rule.peers ?? []) if (peer.type === 'ipBlock') bounds.push(peer.ips);
    return { key: sig, bounds };
  }

  /** Both directions, tier by tier, for explain. */
  explain(src: Peer, dst: Peer): { egress: DirectionDecision; ingress: DirectionDecision; allowed: ConnectionSet } {
    const egress = this.decide('egress', src, dst);
    const ingress = this.decide('ingress', src, dst);
    return { egress, ingress, allowed: egress.allowed.intersect(ingress.allowed) };
  }

  private directional(direction: Direction, src: Peer, dst: Peer): ConnectionSet {
    const endIndex = this.index.get(direction === 'egress' ? src : dst);
    const otherIndex = this.index.get(direction === 'egress' ? dst : src);
    // An end the engine was not built with (the ingress controller's pseudo-peer) is decided from scratch.
    if (endIndex === undefined || otherIndex === undefined) return this.decide(direction, src, dst).allowed;
    return this.directionalAt(direction, src, dst, endIndex, otherIndex);
  }

  /** directional() with both ends' indices known: array reads, no per-pair map lookups by peer. */
  private directionalAt(direction: Direction, src: Peer, dst: Peer, endIndex: number, otherIndex: number): ConnectionSet {
    const sig = this.sigAt[direction][endIndex] as number;
    const selection = this.selections[direction][sig] as Selection;
    if (selection.admin.length === 0 && selection.netpols.length === 0 && selection.baseline.length === 0) return this.allConnections;
    if (this.rowBased(selection) && (direction === 'egress' || this.wantsIngressRow(sig))) return this.row(direction, sig, direction === 'egress' ? src : dst).get(otherIndex) ?? ConnectionSet.empty();
    const key = sig * this.classCount + (this.classAt[otherIndex] as number);
    let result = this.cache[direction].get(key);
    if (result === undefined) {
      result = this.decide(direction, src, dst).allowed;
      this.cache[direction].set(key, result);
    }
    return result;
  }

  private wantsIngressRow(sig: number): boolean {
    if (this.rows.ingress[sig] !== undefined) return true;
    const asked = (this.ingressQuestions[sig] ?? 0) + 1;
    this.ingressQuestions[sig] = asked;
    return asked > this.tuning.ingressRowAfter;
  }

  /** Only NetworkPolicies decide: nothing is allowed but what a rule allows. */
  private rowBased(selection: Selection): boolean {
    return selection.admin.length === 0 && selection.baseline.length === 0 && selection.netpols.length > 0;
  }

  /** What the NetworkPolicies of signature `sig` allow with each peer, by peer index (absent: nothing). */
  private row(direction: Direction, sig: number, end: Peer): Row {
    let row = this.rows[direction][sig];
    if (row) return row;
    const segments: Segment[] = [];
    for (const policy of (this.selections[direction][sig] as Selection).netpols) {
      for (const rule of policy[direction] ?? []) {
        // Only egress towards a named port depends on the other end; everything else is computed once.
        const perPeer = direction === 'egress' && rule.ports?.some((p) => 'named' in p);
        const fixed = perPeer ? undefined : ruleConnections(rule.ports, end, rule.origin.id, false);
        if (fixed?.isEmpty()) continue;
        segments.push({ targets: this.targets(rule, policy.namespace), fixed, rule, byShape: [] });
      }
    }
    row = new Row(segments, this);
    this.rows[direction][sig] = row;
    return row;
  }

  /** Where peer j stands in a target list; -1 when absent. */
  placeIn(targets: readonly number[], j: number): number {
    if (targets.length <= 16) return targets.indexOf(j);
    let at = this.targetIndex.get(targets);
    if (!at) {
      at = new Int32Array(this.peers.length).fill(-1);
      for (let k = 0; k < targets.length; k++) at[targets[k] as number] = k;
      this.targetIndex.set(targets, at);
    }
    return at[j] as number;
  }

  /**
   * What one segment's rule allows with peer j (empty: nothing). Per peer, the answer depends only on
   * the peer's container ports: one set per port shape, shared by every peer of that shape (a
   * namespaceSelector {} rule reaches thousands of pods).
   */
  segmentConnections(segment: Segment, j: number): ConnectionSet {
    if (segment.fixed) return segment.fixed;
    const shape = this.portShape(j);
    let conns = segment.byShape[shape];
    if (conns === undefined) {
      conns = ruleConnections(segment.rule.ports, this.peers[j] as Peer, segment.rule.origin.id, false);
      segment.byShape[shape] = conns;
    }
    return conns;
  }

  /**
   * a ∪ b or a ∩ b, computed once per pair of set objects: rows hand thousands of peers the same
   * sets, and equal operands give equal results (rules included), so the result object is shared
   * too (its printed form is then computed once).
   */
  combined(op: 'union' | 'intersect', a: ConnectionSet, b: ConnectionSet): ConnectionSet {
    const memo = this.memo[op];
    let byB = memo.get(a);
    if (!byB) memo.set(a, (byB = new WeakMap()));
    let result = byB.get(b);
    if (!result) byB.set(b, (result = op === 'union' ? a.union(b) : a.intersect(b)));
    return result;
  }

  private readonly memo = { union: new WeakMap<ConnectionSet, WeakMap<ConnectionSet, ConnectionSet>>(), intersect: new WeakMap<ConnectionSet, WeakMap<ConnectionSet, ConnectionSet>>() };

  /** A number equal for peers whose container ports are equal (what named ports resolve against). */
  private portShape(j: number): number {
    let shape = this.portShapes[j];
    if (shape === undefined) {
      const peer = this.peers[j] as Peer;
      const key = peer.type === 'pod' ? JSON.stringify(peer.ports) : '';
      shape = this.portShapeIds.get(key);
      if (shape === undefined) this.portShapeIds.set(key, (shape = this.portShapeIds.size));
      this.portShapes[j] = shape;
    }
    return shape;
  }

  /**
   * What src reaches when NetworkPolicies alone decide its egress (undefined when they do not), in
   * its egress row's order. Instead of asking every peer of that row (thousands, when a rule allows
   * every namespace) it asks only the destinations whose ingress may let src in: those whose ingress
   * row names src (an inverted index of the ingress rows), and those whose ingress no row decides.
   */
  reachableFrom(src: Peer): { dst: Peer; allowed: ConnectionSet }[] | undefined {
    const i = this.index.get(src);
    if (i === undefined) return undefined;
    const egressSig = this.sigAt.egress[i] as number;
    const selection = this.selections.egress[egressSig] as Selection;
    if (!this.rowBased(selection)) return undefined;
    const row = this.row('egress', egressSig, src);
    const inverse = (this.inverse ??= this.invertIngress());
    const found: { at: number; dst: Peer; allowed: ConnectionSet }[] = [];
    const add = (j: number, ingress: ConnectionSet): void => {
      const at = row.position(j);
      if (at === -1) return;
      const egress = row.get(j) as ConnectionSet;
      const allowed = ingress === this.allConnections ? egress : egress === this.allConnections ? ingress : this.combined('intersect', egress, ingress);
      if (!allowed.isEmpty()) found.push({ at, dst: this.peers[j] as Peer, allowed });
    };
    for (const j of inverse.notRowDecided) if (row.position(j) !== -1) add(j, this.directionalAt('ingress', src, this.peers[j] as Peer, j, i));
    for (const sig of inverse.rowsNaming[i] ?? []) {
      const ingress = (this.rows.ingress[sig] as Row).get(i) as ConnectionSet;
      for (const j of inverse.peersOfSignature[sig] as number[]) add(j, ingress);
    }
    return found.sort((a, b) => a.at - b.at).map(({ dst, allowed }) => ({ dst, allowed }));
  }

  /** Each ingress signature's peers, its row built; per source index, the signatures whose row names it. */
  private invertIngress(): { peersOfSignature: number[][]; rowsNaming: (number[] | undefined)[]; notRowDecided: number[] } {
    const peersOfSignature: number[][] = [];
    const rowsNaming: (number[] | undefined)[] = [];
    const notRowDecided: number[] = [];
    this.peers.forEach((peer, j) => {
      const sig = this.sigAt.ingress[j] as number;
      if (!this.rowBased(this.selections.ingress[sig] as Selection)) {
        notRowDecided.push(j);
        return;
      }
      const peers = peersOfSignature[sig];
      if (peers) {
        peers.push(j);
        return;
      }
      peersOfSignature[sig] = [j];
      this.row('ingress', sig, peer).forEach((i) => (rowsNaming[i] ??= []).push(sig));
    });
    return { peersOfSignature, rowsNaming, notRowDecided };
  }

  /** Indexes of the peers a rule's from/to matches (every peer when it has none). */
  private targets(rule: NetpolRule, policyNamespace: string): number[] {
    if (!rule.peers) return this.peerTargets(undefined, policyNamespace);
    if (rule.peers.length === 1) return this.peerTargets(rule.peers[0], policyNamespace);
    let found = this.mergedTargets.get(rule);
    if (!found) this.mergedTargets.set(rule, (found = [...new Set(rule.peers.flatMap((peer) => this.peerTargets(peer, policyNamespace)))]));
    return found;
  }

  /** Indexes of the peers one from/to entry matches, cached by its shape (many policies repeat one). */
  private peerTargets(peer: NetpolPeer | undefined, policyNamespace: string): number[] {
    const shape = !peer ? '*' : peer.type === 'ipBlock' ? `ip ${peer.ips.family} ${peer.ips.toString()}` : `${peer.namespaceSelector?.key ?? `ns=${policyNamespace}`} / ${peer.podSelector?.key ?? '*'}`;
    let found = this.ruleTargets.get(shape);
    if (found) return found;
    if (!peer) found = this.peers.map((_, i) => i);
    else {
      let candidates: Iterable<number>;
      if (peer.type === 'ipBlock') candidates = this.context.ipBlockMatchesPods ? this.peers.keys() : this.ipIndices();
      else if (!peer.namespaceSelector) candidates = this.podsByNamespace.get(policyNamespace) ?? [];
      else candidates = [...this.context.namespaces.values()].filter((n) => peer.namespaceSelector?.matches(n.labels)).flatMap((n) => this.podsByNamespace.get(n.name) ?? []);
      found = [];
      for (const j of candidates) if (netpolPeerMatches(peer, this.peers[j] as Peer, policyNamespace, this.context)) found.push(j);
    }
    this.ruleTargets.set(shape, found);
    return found;
  }

  private ipIndices(): number[] {
    this.ipPeerIndices ??= this.peers.flatMap((p, i) => (p.type === 'ip' ? [i] : []));
    return this.ipPeerIndices;
  }

  /** Policies that capture `peer` for `direction`; undefined when nothing does (the end is open). */
  private select(peer: Peer, direction: Direction): Selection | undefined {
    if (peer.type !== 'pod') return undefined; // policies select pods, never addresses
    const admin = this.policies.adminPolicies.filter((a) => adminSelects(a, peer, direction, this.context));
    const netpols = (this.netpolsByNamespace.get(peer.namespace) ?? []).filter((n) => selects(n, peer, direction));
    const baseline = this.policies.baselinePolicies.filter((b) => adminSelects(b, peer, direction, this.context));
    return admin.length === 0 && netpols.length === 0 && baseline.length === 0 ? undefined : { admin, netpols, baseline };
  }

  /**
   * One direction from scratch, keeping each tier's verdicts: the admin tier decides what it
   * allows or denies; what it passes (or does not mention) goes to the NetworkPolicies when any
   * selects the end, else to the baseline, else it is allowed.
   */
  private decide(direction: Direction, src: Peer, dst: Peer): DirectionDecision {
    const end = direction === 'egress' ? src : dst;
    const sig = this.signature[direction].get(end);
    const selection = sig !== undefined ? this.selections[direction][sig] : end.type === 'pod' ? this.select(end, direction) : undefined;
    if (!selection || (selection.admin.length === 0 && selection.netpols.length === 0 && selection.baseline.length === 0)) {
      return { direction, end, admin: NO_VERDICTS, adminPolicies: [], netpols: [], allowed: this.allConnections };
    }
    const admin = selection.admin.length > 0 ? adminVerdicts(selection.admin, direction, src, dst, this.context) : NO_VERDICTS;
    const decided = admin.allow.union(admin.deny);
    const base = { direction, end, admin, adminPolicies: selection.admin, netpols: selection.netpols };
    if (selection.netpols.length > 0) {
      const allowedByNetpols = netpolAllowed(selection.netpols, direction, src, dst, this.context);
      return { ...base, netpolAllowed: allowedByNetpols, allowed: admin.allow.union(allowedByNetpols.subtract(decided)) };
    }
    const baseline = selection.baseline.length > 0 ? adminVerdicts(selection.baseline, direction, src, dst, this.context) : NO_VERDICTS;
    const open = this.allConnections.subtract(decided).subtract(baseline.deny).subtract(baseline.allow);
    const allowed = admin.allow.union(baseline.allow.subtract(decided)).union(open);
    // Nothing decided anything: share the one all-connections object, which allowed() tests by identity.
    const untouched = decided.isEmpty() && baseline.allow.isEmpty() && baseline.deny.isEmpty();
    return { ...base, baseline, allowed: untouched ? this.allConnections : allowed };
  }
}

/** One rule of a row: the peers it matches, and what it allows them (fixed, or per port shape). */
interface Segment {
  targets: readonly number[];
  fixed: ConnectionSet | undefined;
  rule: NetpolRule;
  byShape: (ConnectionSet | undefined)[];
}

/**
 * What the NetworkPolicies of one signature allow with each peer, without a map per row: the rules'
 * target lists are shared by every row whose rules match the same peers (one list for every
 * `namespaceSelector: {}`), so a row is its few segments, and a peer's answer is the union of what
 * the segments that contain it allow, in rule order. Peers come in the order a map filled rule by
 * rule would list them: by the first segment that allows them something, then by place in its list.
 */
class Row {
  private memo?: { j: number; at: number; conns: ConnectionSet | undefined };

  constructor(
    private readonly segments: readonly Segment[],
    private readonly engine: Engine,
  ) {}

  /** What the row allows with peer j; undefined when nothing. */
  get(j: number): ConnectionSet | undefined {
    return this.lookup(j).conns;
  }

  /** A number ordering the row's peers as a rule-by-rule map lists them; -1 when j is absent. */
  position(j: number): number {
    return this.lookup(j).at;
  }

  forEach(f: (j: number, conns: ConnectionSet) => void): void {
    this.segments.forEach((segment, k) => {
      for (const j of segment.targets) {
        const conns = this.engine.segmentConnections(segment, j);
        if (conns.isEmpty() || this.firstSegment(j) !== k) continue;
        f(j, this.get(j) as ConnectionSet);
      }
    });
  }

  keys(): number[] {
    const out: number[] = [];
    this.forEach((j) => out.push(j));
    return out;
  }

  private firstSegment(j: number): number {
    const at = this.position(j);
    return at === -1 ? -1 : Math.floor(at / this.engine.peers.length);
  }

  private lookup(j: number): { j: number; at: number; conns: ConnectionSet | undefined } {
    if (this.memo?.j === j) return this.memo;
    let at = -1;
    let conns: ConnectionSet | undefined;
    const n = this.engine.peers.length;
    for (let k = 0; k < this.segments.length; k++) {
      const segment = this.segments[k] as Segment;
      const place = this.engine.placeIn(segment.targets, j);
      if (place === -1) continue;
      const allowed = this.engine.segmentConnections(segment, j);
      if (allowed.isEmpty()) continue;
      if (conns === undefined) {
        conns = allowed;
        at = k * n + place;
      } else conns = this.engine.combined('union', conns, allowed);
    }
    this.memo = { j, at, conns };
    return this.memo;
  }
}
