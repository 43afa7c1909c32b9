import type { NetpolModel } from './build.js';
import { DNS_PEER, type Intent } from './intents.js';
import { matchPeers } from './lookup.js';
import type { Peer } from './model.js';
import type { Connection } from './matrix.js';
import { ConnectionSet } from './sets/connectionSet.js';

export interface IntentResult {
  intent: Intent;
  holds: boolean;
  /** Why it does not hold: a connection that breaks it, or a peer pattern that matches nothing. */
  counterexample?: Connection;
  unmatched?: string;
}

/** Checks every intent against the model; each broken intent gets one counterexample. */
export function verifyIntents(model: NetpolModel, intents: readonly Intent[]): IntentResult[] {
  return intents.map((intent) => verifyIntent(model, intent));
}

function verifyIntent(model: NetpolModel, intent: Intent): IntentResult {
  const sources = resolve(model, intent.from, 'source');
  if ('unmatched' in sources) return { intent, holds: false, unmatched: sources.unmatched };
  const targets = resolve(model, intent.shape === 'onlyTo' ? [] : intent.to, 'destination');
  if ('unmatched' in targets) return { intent, holds: false, unmatched: targets.unmatched };
  const broken = (src: Peer, dst: Peer, conns: ConnectionSet): IntentResult => ({ intent, holds: false, counterexample: { src: src.id, dst: dst.id, conns: conns.isEmpty() ? 'No Connections' : conns.toString() } });
  const pairs = function* (froms: readonly Peer[], tos: readonly Peer[]): Generator<[Peer, Peer]> {
    for (const src of froms) for (const dst of tos) if (src !== dst && !(src.type === 'ip' && dst.type === 'ip')) yield [src, dst];
  };
  switch (intent.shape) {
    case 'allow':
      for (const [src, dst] of pairs(sources.peers, targets.peers)) {
        const allowed = model.engine.allowed(src, dst);
        const satisfied = intent.ports ? intent.ports.subtract(allowed).isEmpty() : !allowed.isEmpty();
        if (!satisfied) return broken(src, dst, allowed);
      }
      break;
    case 'deny':
      for (const [src, dst] of pairs(sources.peers, targets.peers)) {
        const open = restrict(model.engine.allowed(src, dst), intent.ports);
        if (!open.isEmpty()) return broken(src, dst, open);
      }
      break;
    case 'onlyFrom': {
      const permitted = new Set(sources.peers);
      const others = [...model.pods, ...model.sourceIps].filter((p) => !permitted.has(p));
      for (const [src, dst] of pairs(others, targets.peers)) {
        const open = restrict(model.engine.allowed(src, dst), intent.ports);
        if (!open.isEmpty()) return broken(src, dst, open);
      }
      break;
    }
    case 'onlyTo': {
      const everyDestination = [...model.pods, ...model.destinationIps];
      const permitted = intent.onlyTo.map((t) => ({ peers: new Set(t.peer === DNS_PEER ? everyDestination : matchPeers(model, t.peer, 'destination')), ports: t.ports }));
      for (const [src, dst] of pairs(sources.peers, everyDestination)) {
        let open = model.engine.allowed(src, dst);
        for (const p of permitted) if (p.peers.has(dst)) open = p.ports ? open.subtract(p.ports) : ConnectionSet.empty();
        if (!open.isEmpty()) return broken(src, dst, open);
      }
      break;
    }
  }
  return { intent, holds: true };
}

function restrict(allowed: ConnectionSet, ports: ConnectionSet | undefined): ConnectionSet {
  return ports ? allowed.intersect(ports) : allowed;
}

function resolve(model: NetpolModel, patterns: readonly string[], side: 'source' | 'destination'): { peers: Peer[] } | { unmatched: string } {
  const peers: Peer[] = [];
  for (const pattern of patterns) {
    const found = matchPeers(model, pattern, side);
    if (found.length === 0) return { unmatched: pattern };
    peers.push(...found);
  }
  return { peers: [...new Set(peers)] };
}
