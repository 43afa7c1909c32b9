import type { Connection } from '../matrix.js';

function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * A Graphviz digraph: one cluster per namespace, external ranges as boxes, one labelled edge per
 * connection. Render with `dot -Tsvg`.
 */
export function formatDot(connections: readonly Connection[]): string {
  const nodes = new Set<string>();
  for (const c of connections) nodes.add(c.src).add(c.dst);
  // Address sets of the compact matrix are named by their CIDRs (slashes, no [External] suffix).
  const addresses = new Set(connections.flatMap((c) => [...(c.srcAddresses ? [c.src] : []), ...(c.dstAddresses ? [c.dst] : [])]));
  const byNamespace = new Map<string, string[]>();
  const external: string[] = [];
  for (const node of [...nodes].sort()) {
    const slash = node.indexOf('/');
    if (addresses.has(node) || node.endsWith('[External]') || slash < 0) external.push(node);
    else byNamespace.set(node.slice(0, slash), [...(byNamespace.get(node.slice(0, slash)) ?? []), node]);
  }
  const lines = ['digraph {', '\tcompound=true', '\tnode [shape=ellipse]'];
  let i = 0;
  for (const [namespace, members] of byNamespace) {
    lines.push(`\tsubgraph cluster_${i++} {`, `\t\tlabel=${quote(namespace)}`);
    for (const m of members) lines.push(`\t\t${quote(m)} [label=${quote(m.slice(namespace.length + 1))}]`);
    lines.push('\t}');
  }
  for (const e of external) lines.push(`\t${quote(e)} [shape=box]`);
  for (const c of connections) lines.push(`\t${quote(c.src)} -> ${quote(c.dst)} [label=${quote(c.conns)}]`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
