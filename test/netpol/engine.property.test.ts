import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadText } from '../../src/core/load.js';
import { buildModel } from '../../src/netpol/build.js';
import { computeMatrix } from '../../src/netpol/matrix.js';
import { expectOracleAgrees } from './adminOracle.js';
import { manifests, scenario, type Json, type Labels, type PodSpec } from './adminScenario.js';

/**
 * The engine against a naive oracle that reads the objects as written and decides one
 * (source, destination, protocol, port) at a time by the words of the API docs:
 * ANP rules by priority then order (first match wins; Allow/Deny decide, Pass moves on), then the
 * NetworkPolicies that select the end (isolated: allowed only if a rule matches), else the BANP
 * (first match), else allowed. A connection needs both the source's egress and the destination's ingress.
 * Admin peers include the v0.1.0-v0.1.1 relative forms (sameLabels / notSameLabels of a tenant label).
 */

describe('engine against the naive oracle', () => {
  // Rows built at once (0) or never (Infinity): the two evaluation paths must agree with the oracle.
  it.each([0, Number.POSITIVE_INFINITY])('agrees on every (source, destination, protocol, port) of random clusters (ingress rows after %s questions)', (ingressRowAfter) => {
    fc.assert(
      fc.property(scenario, (raw) => {
        const pods: PodSpec[] = raw.pods.map(([namespace, l, ports], i) => ({ namespace, name: `p${i}`, labels: l as Labels, ports }));
        const s = { netpols: raw.netpols as unknown as Json[], anps: raw.anps as unknown as Json[], ...(raw.banp ? { banp: raw.banp as unknown as Json } : {}) };
        const model = buildModel(loadText('gen.yaml', manifests(pods, s)).resources, 'cluster', { ingressRowAfter });
        expect(model.errors.map((e) => e.message)).toEqual([]);
        expectOracleAgrees(model, pods, { netpols: s.netpols, admin: s.anps, baseline: s.banp ? [s.banp] : [] });
      }),
      { numRuns: 120 },
    );
  });

  // The matrix walks only what an egress row reaches and an inverted index of the ingress rows
  // (issue 23); it must list exactly the pairs, sets and rule ids that asking each pair gives.
  it('the matrix lists exactly what asking every pair one by one gives', () => {
    fc.assert(
      fc.property(scenario, (raw) => {
        const pods: PodSpec[] = raw.pods.map(([namespace, l, ports], i) => ({ namespace, name: `p${i}`, labels: l as Labels, ports }));
        const s = { netpols: raw.netpols as unknown as Json[], anps: raw.anps as unknown as Json[], ...(raw.banp ? { banp: raw.banp as unknown as Json } : {}) };
        const text = manifests(pods, s);
        const fast = buildModel(loadText('gen.yaml', text).resources, 'cluster');
        const slow = buildModel(loadText('gen.yaml', text).resources, 'cluster', { ingressRowAfter: Number.POSITIVE_INFINITY });
        const naive: string[] = [];
        for (const src of [...slow.pods, ...slow.sourceIps]) {
          for (const dst of [...slow.pods, ...slow.destinationIps]) {
            if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
            const allowed = slow.engine.allowed(src, dst);
            if (!allowed.isEmpty()) naive.push(`${src.id} => ${dst.id} : ${allowed.toString()} by ${allowed.rules().join(',')}`);
          }
        }
        const matrix = computeMatrix(fast).map((e) => `${e.src.id} => ${e.dst.id} : ${e.allowed.toString()} by ${e.allowed.rules().join(',')}`);
        expect(matrix.sort()).toEqual(naive.sort());
      }),
      { numRuns: 80 },
    );
  });
});
