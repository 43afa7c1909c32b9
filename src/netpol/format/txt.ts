import type { Connection } from '../matrix.js';

/** np-guard's txt format: `src => dst : conns`, one line per connection. */
export function formatTxt(connections: readonly Connection[]): string {
  return connections.map((c) => `${c.src} => ${c.dst} : ${c.conns}`).join('\n') + (connections.length > 0 ? '\n' : '');
}
