import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OsvAffected, OsvEvent } from '../../../../src/scan/image/vuln/osv.js';
import { evaluateAffected } from '../../../../src/scan/image/vuln/range.js';
import { dpkg } from '../../../../src/scan/image/vuln/versions/dpkg.js';
import { semver } from '../../../../src/scan/image/vuln/versions/semver.js';

function affected(type: string, events: OsvEvent[], versions: string[] = []): OsvAffected {
  return { package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type, events }], versions, severity: [] };
}

describe('evaluateAffected', () => {
  const twoBranches = affected('SEMVER', [{ introduced: '0' }, { fixed: '1.2.3' }, { introduced: '2.0.0' }, { fixed: '2.0.5' }]);
  it.each([
    ['0.0.1', { status: 'affected', fixedIn: ['1.2.3'] }],
    ['1.2.2', { status: 'affected', fixedIn: ['1.2.3'] }],
    ['1.2.3-rc.1', { status: 'affected', fixedIn: ['1.2.3'] }],
    ['1.2.3', { status: 'not-affected' }],
    ['1.9.0', { status: 'not-affected' }],
    ['2.0.0-beta.1', { status: 'not-affected' }],
    ['2.0.0', { status: 'affected', fixedIn: ['2.0.5'] }],
    ['2.0.5', { status: 'not-affected' }],
  ])('two fixed branches: %s', (version, expected) => {
    expect(evaluateAffected(version, twoBranches, undefined)).toEqual(expected);
  });

  it('last_affected includes its version; events in any order', () => {
    const range = affected('ECOSYSTEM', [{ last_affected: '1:2.0-3' }, { introduced: '1:1.0-1' }]);
    expect(['1:1.0-1', '1:2.0-3', '1:2.0-3+deb12u1', '2.5-1'].map((v) => evaluateAffected(v, range, dpkg).status)).toEqual(['affected', 'affected', 'not-affected', 'not-affected']);
  });

  it('the versions list matches exactly, even without ranges', () => {
    expect(evaluateAffected('4.1.0', affected('SEMVER', [], ['4.0.0', '4.1.0']), undefined).status).toBe('affected');
  });

  it('a GIT-only entry is not evaluable; with a versions list it is evaluated from the list', () => {
    const git = affected('GIT', [{ introduced: 'abc' }, { fixed: 'def' }]);
    expect(evaluateAffected('1.0.0', git, semver)).toEqual({ status: 'not-evaluable', reason: 'only GIT ranges: commits cannot be mapped to this version without the repository history' });
    expect(evaluateAffected('1.0.0', { ...git, versions: ['0.9.0'] }, semver)).toEqual({ status: 'not-affected' });
  });

  it('an ecosystem without an ordering, or unreadable versions, are not evaluable', () => {
    expect(evaluateAffected('1.0', affected('ECOSYSTEM', [{ introduced: '0' }]), undefined)).toEqual({ status: 'not-evaluable', reason: 'no version ordering known for this ecosystem' });
    expect(evaluateAffected('1.0', affected('SEMVER', [{ introduced: '0' }, { fixed: '2.0.0' }]), undefined).status).toBe('not-evaluable');
    expect(evaluateAffected('1.0.0', affected('SEMVER', [{ introduced: '0' }, { fixed: 'v2' }]), undefined)).toEqual({ status: 'not-evaluable', reason: 'range version "v2" is not a valid semver version' });
  });

  it('limit bounds the range from above', () => {
    const limited = affected('SEMVER', [{ introduced: '1.0.0' }, { limit: '1.5.0' }]);
    expect(['1.2.0', '1.5.0', '3.0.0'].map((v) => evaluateAffected(v, limited, undefined).status)).toEqual(['affected', 'not-affected', 'not-affected']);
  });

  // Naive oracle: disjoint [introduced, fixed) / [introduced, last_affected] intervals over x.y.z,
  // membership tested directly, events shuffled before evaluation.
  it('agrees with interval membership for shuffled events', () => {
    const point = fc.tuple(fc.nat(3), fc.nat(3), fc.nat(3)).map(([a, b, c]) => [a, b, c] as const);
    const key = (p: readonly number[]): number => (p[0] as number) * 100 + (p[1] as number) * 10 + (p[2] as number);
    const text = (p: readonly number[]): string => p.join('.');
    fc.assert(
      fc.property(fc.uniqueArray(point, { minLength: 1, maxLength: 8, selector: key }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), point, fc.boolean(), (points, kinds, probe, fromZero) => {
        const sorted = [...points].sort((a, b) => key(a) - key(b));
        const events: OsvEvent[] = [];
        const intervals: Array<{ low: number; high: number; inclusive: boolean }> = [];
        for (let i = 0; i < sorted.length; i += 2) {
          const low = sorted[i] as readonly number[];
          const high = sorted[i + 1];
          const lowText = i === 0 && fromZero ? '0' : text(low);
          const inclusive = kinds[(i / 2) % 4] === true;
          events.push({ introduced: lowText });
          if (high) events.push(inclusive ? { last_affected: text(high) } : { fixed: text(high) });
          intervals.push({ low: lowText === '0' ? -1 : key(low), high: high ? key(high) : Infinity, inclusive });
        }
        const shuffled = [...events].reverse();
        const v = key(probe);
        const expected = intervals.some((r) => v >= r.low && (r.inclusive ? v <= r.high : v < r.high));
        return (evaluateAffected(text(probe), affected('SEMVER', shuffled), undefined).status === 'affected') === expected;
      }),
      { numRuns: 1000 },
    );
  });
});
