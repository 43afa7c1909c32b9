import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { annotationExemption, applyExemptions, globMatches } from '../../src/core/exemptions.js';
import type { Finding } from '../../src/core/types.js';

const finding = (checkId: string, name = 'web', kind = 'Deployment', namespace = 'ml'): Finding => ({ checkId, severity: 'high', title: 't', message: 'm', resource: { apiVersion: 'apps/v1', kind, namespace, name } });

describe('exemptions', () => {
  it('reads annotations and names what is wrong with them', () => {
    expect(annotationExemption({})).toBeUndefined();
    expect(annotationExemption({ 'palisade.dev/exempt': 'A, B', 'palisade.dev/exempt-reason': 'why' })).toEqual({ checks: ['A', 'B'], reason: 'why' });
    expect(annotationExemption({ 'palisade.dev/exempt': 'A' })).toEqual({ checks: ['A'], problem: 'noReason' });
    expect(annotationExemption({ 'palisade.dev/exempt': 'A', 'palisade.dev/exempt-reason': 'why', 'palisade.dev/exempt-until': '2026-02-30x' })).toMatchObject({ problem: 'badDate' });
  });

  it('marks findings, never drops them; annotations first, then config; expired ones come back with a note', () => {
    const findings = [finding('IMAGE_TAG_MUTABLE'), finding('HOST_PORT'), finding('SECRET_LITERAL', 'legacy'), finding('PSS_BASELINE_PRIVILEGED', 'old'), finding('HOST_PORT', 'other', 'StatefulSet')];
    const annotations = new Map([['web', { checks: ['IMAGE_TAG_*'], reason: 'vendor image', until: '2026-12-31' }], ['old', { checks: ['PSS_*'], reason: 'migrating', until: '2026-01-01' }]]);
    applyExemptions(findings, {
      annotations: (ref) => annotations.get(ref.name),
      config: [
        { check: 'HOST_PORT', match: { kind: 'Deployment', namespace: 'ml' }, reason: 'node-local cache' },
        { check: 'SECRET_*', match: { name: 'leg*' }, reason: 'rotating', expires: '2026-03-01' },
      ],
      today: '2026-06-01',
    });
    expect(findings.map((f) => [f.checkId, f.resource?.name, f.suppressed ?? null, f.message])).toEqual([
      ['IMAGE_TAG_MUTABLE', 'web', { by: 'annotation', reason: 'vendor image', expires: '2026-12-31' }, 'm'],
      ['HOST_PORT', 'web', { by: 'config', reason: 'node-local cache' }, 'm'],
      ['SECRET_LITERAL', 'legacy', null, 'm (config exemption expired on 2026-03-01: rotating)'],
      ['PSS_BASELINE_PRIVILEGED', 'old', null, 'm (annotation exemption expired on 2026-01-01: migrating)'],
      ['HOST_PORT', 'other', null, 'm'],
    ]);
  });

  it('an annotation without a reason does not apply; input errors (no resource) are never exempted', () => {
    const findings: Finding[] = [finding('HOST_PORT'), { checkId: 'LOAD_YAML_SYNTAX', severity: 'high', title: 't', message: 'm' }];
    applyExemptions(findings, { annotations: () => ({ checks: ['*'], problem: 'noReason' }), config: [{ check: '*', match: {}, reason: 'all' }], today: '2026-06-01' });
    expect(findings[0]!.suppressed).toEqual({ by: 'config', reason: 'all' });
    expect(findings[1]!.suppressed).toBeUndefined();
  });

  // Oracle: a naive recursive glob matcher.
  const naive = (p: string, t: string): boolean => {
    if (p === '') return t === '';
    if (p[0] === '*') return naive(p.slice(1), t) || (t !== '' && naive(p, t.slice(1)));
    if (t === '') return false;
    return (p[0] === '?' || p[0] === t[0]) && naive(p.slice(1), t.slice(1));
  };
  it('globMatches agrees with a naive matcher, regex characters included (property)', () => {
    const chars = fc.constantFrom('a', 'b', '.', '*', '?', '+', '(', '[', '\\', '$');
    fc.assert(fc.property(fc.string({ unit: chars, maxLength: 6 }), fc.string({ unit: fc.constantFrom('a', 'b', '.', '+', '(', '[', '\\', '$'), maxLength: 8 }), (pattern, text) => {
      expect(globMatches(pattern, text)).toBe(naive(pattern, text));
    }), { numRuns: 500 });
  });
});
