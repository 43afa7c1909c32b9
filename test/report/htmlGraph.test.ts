import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/types.js';
import type { ReachabilityGraph } from '../../src/netpol/graph.js';
import { palisade } from '../helpers/cli.js';

/**
 * The graph the HTML report draws comes from the audit's own network model; `netpol matrix` on the
 * same files is the independent answer it must agree with, connection for connection.
 */
const out = mkdtempSync(join(tmpdir(), 'palisade-graph-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const HTML = `html=${join(out, 'report.html')}`;

describe('the reachability graph of the HTML report', () => {
  for (const example of ['examples/ml-serving-insecure', 'examples/ml-serving-hardened']) {
    it(`draws exactly the connections netpol matrix lists for ${example}`, () => {
      const audit = palisade(['audit', example, '--format', 'json', '--fail-on', 'none', '-o', HTML]);
      const graph = (JSON.parse(audit.stdout) as Report).network as ReachabilityGraph;
      const matrix = palisade(['netpol', 'matrix', example, '--format', 'json']);
      const connections = (JSON.parse(matrix.stdout) as { connections: Array<{ src: string; dst: string; conns: string }> }).connections.filter((c) => c.src !== '{ingress-controller}');
      expect(graph.omittedEdges).toBe(0);
      const key = (c: { src: string; dst: string; conns: string }): string => `${c.src} => ${c.dst} : ${c.conns}`;
      expect(graph.edges.map(key).sort()).toEqual(connections.map(key).sort());
      const servers = new Set(graph.nodes.filter((n) => (n.modelServers?.length ?? 0) > 0).map((n) => n.id));
      expect(graph.edges.filter((e) => e.toModelServer).map((e) => e.dst)).toEqual(graph.edges.map((e) => e.dst).filter((d) => servers.has(d)));
    });
  }

  it('names the rules that decide a connection, with their files', () => {
    const audit = palisade(['audit', 'examples/ml-serving-hardened', '--format', 'json', '--fail-on', 'none', '-o', HTML]);
    const graph = (JSON.parse(audit.stdout) as Report).network as ReachabilityGraph;
    const edge = graph.edges.find((e) => e.dst === 'ml-serving/tf-serving[Deployment]');
    expect(edge?.conns).toBe('TCP 8501');
    const allows = edge?.rules.filter((r) => r.effect === 'allow').map((r) => [r.direction, r.tier, r.policy, r.location?.file]);
    expect(allows?.length).toBeGreaterThan(0);
    for (const rule of allows ?? []) expect(rule[3]).toBe('examples/ml-serving-hardened/network-policies.yaml');
    expect(new Set(allows?.map((r) => r[0]))).toEqual(new Set(['egress', 'ingress']));
  });
});
