import type { Connection } from '../matrix.js';

function field(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** np-guard's csv format: a header, then one row per connection. */
export function formatCsv(connections: readonly Connection[]): string {
  return ['src,dst,conn', ...connections.map((c) => [c.src, c.dst, c.conns].map(field).join(','))].join('\n') + '\n';
}
