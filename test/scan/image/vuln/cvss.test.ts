import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cvss2BaseScore, cvss3BaseScore, cvss4Score, severityOfScore } from '../../../../src/scan/image/vuln/cvss.js';
import { readAdvisory } from '../../../../src/scan/image/vuln/index.js';
import { severityOf } from '../../../../src/scan/image/vuln/severity.js';

describe('CVSS base scores (NVD-published values)', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10.0], // CVE-2021-44228
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', 5.5],
    ['CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9],
    ['CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N', 0],
  ])('%s = %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score);
  });

  it.each([
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
    ['AV:N/AC:L/Au:N/C:C/I:C/A:C', 10.0],
  ])('v2 %s = %d', (vector, score) => {
    expect(cvss2BaseScore(vector)).toBe(score);
  });

  it('refuses incomplete vectors and rates scores', () => {
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:3.1/AV:constructor/AC:toString/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined();
    expect(cvss2BaseScore('AV:__proto__/AC:L/Au:N/C:C/I:C/A:C')).toBeUndefined();
    expect(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined();
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0.1, 0].map((s) => severityOfScore(s, 3))).toEqual(['critical', 'high', 'high', 'medium', 'medium', 'low', 'low', 'none']);
  });
});

describe('CVSS v4.0 scores (values of FIRST\'s calculator, as published with CVEs and other implementations\' test suites)', () => {
  it.each([
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', 10.0],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H', 7.9],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N', 6.9],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:N/VI:L/VA:N/SC:N/SI:N/SA:N', 5.3], // CVE-2024-7657
    ['CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.3],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 7.7],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N', 8.3],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 4.6],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0],
    // threat and environmental metrics count (CVSS-BT, CVSS-BE)
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U', 9.1],
    ['CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U', 5.2],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N/E:X', 5.3],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/MVI:L/MSA:S', 9.8],
  ])('%s = %d', (vector, score) => {
    expect(cvss4Score(vector)).toBe(score);
  });

  it('refuses what the specification does not allow (the library alone would score it 0)', () => {
    const full = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    for (const bad of [
      'CVSS:4.0/AV:X',
      full.replace('/SA:N', ''), // a base metric missing
      full.replace('AV:N', 'AV:Q'), // a value outside the metric's
      `${full}/AV:L`, // a metric twice
      `${full}/ZZ:H`, // an unknown metric
      full.replace('SC:N', 'SC:S'), // Safety is a modified subsequent-system value only
      full.replace('CVSS:4.0', 'CVSS:3.1'),
      `${full}/`,
      `${full}/__proto__:H`, // names of Object.prototype are not metrics (advisories are untrusted input)
      `${full}/constructor:X`,
    ]) expect([bad, cvss4Score(bad)]).toEqual([bad, undefined]);
  });

  it('property: any well-formed base vector scores within 0–10 with one decimal, and more impact never lowers it', () => {
    const level = fc.constantFrom('N', 'L', 'H');
    const order = { N: 0, L: 1, H: 2 } as const;
    fc.assert(
      fc.property(fc.constantFrom('N', 'A', 'L', 'P'), fc.constantFrom('L', 'H'), fc.constantFrom('N', 'P'), fc.constantFrom('N', 'L', 'H'), fc.constantFrom('N', 'P', 'A'), fc.array(level, { minLength: 6, maxLength: 6 }), fc.nat(5), (av, ac, at, pr, ui, impacts, which) => {
        const vector = (i: readonly string[]): string => `CVSS:4.0/AV:${av}/AC:${ac}/AT:${at}/PR:${pr}/UI:${ui}/VC:${i[0]}/VI:${i[1]}/VA:${i[2]}/SC:${i[3]}/SI:${i[4]}/SA:${i[5]}`;
        const score = cvss4Score(vector(impacts));
        expect(score !== undefined && score >= 0 && score <= 10 && Math.round(score * 10) === score * 10).toBe(true);
        const raised = [...impacts];
        raised[which] = 'H';
        if (order[impacts[which] as keyof typeof order] < 2) expect(cvss4Score(vector(raised))!).toBeGreaterThanOrEqual(score!);
      }),
      { numRuns: 300 },
    );
  });
});

describe('the severity of an advisory', () => {
  const V3 = { type: 'CVSS_V3', score: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N' }; // 5.5
  const V4 = { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }; // 9.3
  const V2 = { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:N/A:N' }; // 5.0
  const judged = (severity: object[], databaseSeverity?: string): [string, number | undefined, string] => {
    const advisory = readAdvisory({ id: 'GHSA-x', severity, ...(databaseSeverity ? { database_specific: { severity: databaseSeverity } } : {}), affected: [{ package: { ecosystem: 'PyPI', name: 'vllm' }, versions: ['0.1.0'] }] });
    const { severity: rated, score, source } = severityOf(advisory!, advisory!.affected[0]!);
    return [rated, score, source];
  };
  it('an advisory with only a CVSS v4 vector is scored by it (new GHSA and PyPA advisories)', () => {
    expect(judged([V4], 'MODERATE')).toEqual(['critical', 9.3, 'CVSS v4']);
  });
  it('v3 stays first where both are given; v4 before v2; a malformed v4 falls through to the database word', () => {
    expect(judged([V4, V3])).toEqual(['medium', 5.5, 'CVSS v3']);
    expect(judged([V2, V4])).toEqual(['critical', 9.3, 'CVSS v4']);
    expect(judged([{ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N' }], 'LOW')).toEqual(['low', undefined, 'database']);
  });
});
