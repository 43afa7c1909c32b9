import type { Connection } from '../matrix.js';

function cell(value: string): string {
  return value.replace(/\|/g, '\\|');
}

/** np-guard's md format: one table row per connection. */
export function formatMd(connections: readonly Connection[]): string {
  return ['| src | dst | conn |', '|-----|-----|------|', ...connections.map((c) => `| ${cell(c.src)} | ${cell(c.dst)} | ${cell(c.conns)} |`)].join('\n') + '\n';
}
