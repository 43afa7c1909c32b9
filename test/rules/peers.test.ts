import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixtures, judge, MAPPING, PEERS, type Peer } from './peers/run.js';

/**
 * palisade against the labelled fixtures of Polaris, kube-linter, kube-score and checkov for the
 * security checks palisade maps to (peers/mapping.json; fixtures copied by scripts/peer-fixtures.mjs
 * into test/fixtures/<peer>/). A should-fail fixture palisade does not catch is a miss; a should-pass
 * fixture it reports is a false positive. Every disagreement is in peers/expectations.json with its
 * reason — `miss` where palisade differs by design, `stricter` where it reports on purpose what the
 * peer lets pass — and the totals per peer are pinned, so any change in recall or false positives
 * shows up here and must be reviewed.
 */
interface Expectation {
  verdict: 'miss' | 'stricter';
  reason: string;
}
interface Totals {
  shouldFail: number;
  caught: number;
  shouldPass: number;
  reported: number;
}
const EXPECTATIONS = JSON.parse(readFileSync(new URL('./peers/expectations.json', import.meta.url), 'utf8')) as Record<Peer, Record<string, Expectation>> & { totals: Record<Peer, Totals> };

const results = new Map(PEERS.map((peer) => [peer, judge(peer)]));

describe.each(PEERS)('%s fixtures', (peer) => {
  const cases = results.get(peer)!;
  const expectations = EXPECTATIONS[peer];

  it('the mapping is whole: every fixture is of a mapped check; every mapped check has should-fail fixtures; mapped and unmapped do not overlap', () => {
    const { mapped, unmapped } = MAPPING[peer];
    expect([...new Set(fixtures(peer).cases.map((c) => c.check))].filter((c) => !mapped[c])).toEqual([]);
    expect(Object.keys(mapped).filter((check) => !cases.some((c) => c.item.check === check && c.item.expect === 'fail'))).toEqual([]);
    expect(Object.keys(mapped).filter((check) => check in unmapped)).toEqual([]);
    for (const [check, m] of Object.entries(mapped)) expect([check, m.palisade.length > 0, m.reason.length > 0]).toEqual([check, true, true]);
  });

  it('every disagreement is explained, and no explanation is stale', () => {
    const disagreements = cases.filter((r) => r.fired !== (r.item.expect === 'fail'));
    expect(disagreements.filter((r) => !expectations[r.key]).map((r) => `${r.key} → ${r.fired ? `reported (${r.found.join(', ')})` : 'not reported'}`)).toEqual([]);
    expect(Object.keys(expectations).filter((key) => !disagreements.some((r) => r.key === key))).toEqual([]);
    // misses explain should-fail cases, `stricter` explains should-pass ones
    for (const [key, { verdict, reason }] of Object.entries(expectations)) {
      expect([key, verdict, reason.length > 20]).toEqual([key, key.includes(' fail: ') ? 'miss' : 'stricter', true]);
    }
  });

  it('recall and false positives are the pinned totals', () => {
    const shouldFail = cases.filter((r) => r.item.expect === 'fail');
    const shouldPass = cases.filter((r) => r.item.expect === 'pass');
    expect({
      shouldFail: shouldFail.length,
      caught: shouldFail.filter((r) => r.fired).length,
      shouldPass: shouldPass.length,
      reported: shouldPass.filter((r) => r.fired).length,
    }).toEqual(EXPECTATIONS.totals[peer]);
  });
});
