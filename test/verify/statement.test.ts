import { describe, expect, it } from 'vitest';
import { evaluateScanGate, parseDuration, parseStatement, predicateMatches, type InTotoStatement } from '../../src/verify/index.js';
import { fixtureJson } from './fixtures.js';

describe('in-toto statements', () => {
  const payload = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));

  it('reads v0.1 and v1 statements and refuses what is not one', () => {
    for (const version of ['v0.1', 'v1']) {
      const s = parseStatement('application/vnd.in-toto+json', payload({ _type: `https://in-toto.io/Statement/${version}`, subject: [{ name: 'a', digest: { sha256: 'AB' } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} }));
      expect(s).toEqual({ type: `https://in-toto.io/Statement/${version}`, subject: [{ name: 'a', digest: { sha256: 'ab' } }], predicateType: 'https://slsa.dev/provenance/v1', predicate: {} });
    }
    expect(parseStatement('text/plain', payload({}))).toEqual({ error: 'payload type text/plain, expected application/vnd.in-toto+json' });
    expect(parseStatement('application/vnd.in-toto+json', payload({ _type: 'https://in-toto.io/Statement/v2' }))).toEqual({ error: 'not an in-toto Statement (_type "https://in-toto.io/Statement/v2")' });
  });

  it.each([
    ['vuln', 'https://cosign.sigstore.dev/attestation/vuln/v1', true],
    ['slsaprovenance1', 'https://slsa.dev/provenance/v1', true],
    ['slsaprovenance1', 'https://slsa.dev/provenance/v0.2', false],
    ['cyclonedx', 'https://cyclonedx.org/bom/v1.6', true],
    ['spdxjson', 'https://spdx.dev/Document/v2.3', true],
    ['openvex', 'https://openvex.dev/ns/v0.2.0', true],
    ['vuln', 'https://cosign.sigstore.dev/attestation/v1', false],
    ['https://example.com/custom/v1', 'https://example.com/custom/v1', true],
  ])('predicate %s matches %s: %s', (wanted, actual, match) => {
    expect(predicateMatches(wanted, actual)).toBe(match);
  });

  it('parses durations', () => {
    expect([parseDuration('7d'), parseDuration('168h'), parseDuration('30m'), parseDuration('1.5h'), parseDuration('week')]).toEqual([604_800_000, 604_800_000, 1_800_000, 5_400_000, undefined]);
  });
});

describe('the scan gate, on the generated vuln attestations', () => {
  const statementOf = (file: string): InTotoStatement => {
    const bundle = fixtureJson(file) as { dsseEnvelope: { payload: string } };
    const s = parseStatement('application/vnd.in-toto+json', Buffer.from(bundle.dsseEnvelope.payload, 'base64'));
    if ('error' in s) throw new Error(s.error);
    return s;
  };
  const critical = statementOf('generated/vuln-attestation-critical.sigstore.json');
  const clean = statementOf('generated/vuln-attestation-clean.sigstore.json');
  // Both scans finished 2026-01-14T00:05:00Z (PROVENANCE.md).
  const day = (n: number): Date => new Date(Date.parse('2026-01-14T00:05:00Z') + n * 86_400_000);

  it('counts what is at or above the severity: 2 CRITICAL fail at high, 4 MEDIUM pass at high and fail at medium', () => {
    expect(evaluateScanGate([critical], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' }, day(1)).failure).toEqual({ reason: 'vulnerable', message: 'the scan of 2026-01-14T00:05:00Z reports 2 critical at or above high after VEX' });
    expect(evaluateScanGate([clean], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' }, day(1)).failure).toBeUndefined();
    expect(evaluateScanGate([clean], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'medium' }, day(1)).failure?.message).toBe('the scan of 2026-01-14T00:05:00Z reports 4 medium at or above medium after VEX');
  });

  it('fails a scan older than the limit, and with no scan at all', () => {
    expect(evaluateScanGate([clean], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' }, day(8)).failure?.reason).toBe('stale-scan');
    expect(evaluateScanGate([], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' }, day(1)).failure?.reason).toBe('no-attestation');
  });

  it('the newest scan decides', () => {
    const older = { ...critical, predicate: { ...(critical.predicate as object), metadata: { scanFinishedOn: '2026-01-10T00:00:00Z' } } };
    expect(evaluateScanGate([older, clean], { maxAgeMs: 7 * 86_400_000, maxSeverity: 'high' }, day(1)).failure).toBeUndefined();
  });
});
