import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apk, dpkg, pep440, semver, schemeForEcosystem, type VersionScheme } from '../../../../src/scan/image/vuln/versions/index.js';

/** Each list is strictly increasing; every pair is checked both ways. */
function expectAscending(scheme: VersionScheme, versions: readonly string[]): void {
  for (let i = 0; i < versions.length; i++) {
    for (let j = 0; j < versions.length; j++) {
      const a = versions[i] as string;
      const b = versions[j] as string;
      expect([a, b, Math.sign(scheme.compare(a, b))]).toEqual([a, b, Math.sign(i - j)]);
    }
  }
}

function expectProperOrder(scheme: VersionScheme, arbitrary: fc.Arbitrary<string>): void {
  fc.assert(
    fc.property(arbitrary, arbitrary, arbitrary, (a, b, c) => {
      const ab = Math.sign(scheme.compare(a, b));
      if (Math.sign(scheme.compare(b, a)) !== -ab) return false; // antisymmetry
      if (scheme.compare(a, a) !== 0) return false; // reflexivity
      const bc = Math.sign(scheme.compare(b, c));
      if (ab <= 0 && bc <= 0 && scheme.compare(a, c) > 0) return false; // transitivity
      return true;
    }),
    { numRuns: 500 },
  );
}

describe('dpkg ordering (Debian Policy §5.6.12)', () => {
  it('orders the policy examples: ~ before everything, letters before non-letters', () => {
    expectAscending(dpkg, ['1.0~~', '1.0~~a', '1.0~', '1.0', '1.0a', '1.0+', '1.0.1']);
    expectAscending(dpkg, ['1.0~rc1-1', '1.0-1', '1.0-1+deb12u1', '1.0-1.1', '1.0-2', '1.0.0-1', '0:1.1-1', '1:0.9-1', '2:0.1']);
    expectAscending(dpkg, ['2.36-9', '2.36-9+deb12u3', '2.36-9+deb12u10']);
  });

  it('treats a missing revision as 0 and leading zeros as the same number', () => {
    expect(dpkg.compare('1.0', '1.0-0')).toBe(0);
    expect(dpkg.compare('0:1.0', '1.0')).toBe(0);
    expect(dpkg.compare('1.002', '1.2')).toBe(0);
  });

  it('rejects malformed versions', () => {
    expect(['1.0-', 'a:1', '', '1.0-1_2', '1 0'].map(dpkg.valid)).toEqual([false, false, false, false, false]);
  });

  const part = fc.stringMatching(/^[0-9]{1,3}(?:[.+~a-z][0-9a-z]{0,2}){0,3}$/);
  const dpkgVersion = fc.tuple(fc.option(fc.integer({ min: 0, max: 3 })), part, fc.option(fc.stringMatching(/^[0-9a-z+.~]{1,6}$/))).map(([epoch, upstream, revision]) => `${epoch === null ? '' : `${epoch}:`}${upstream}${revision === null ? '' : `-${revision}`}`);

  it('is a total order', () => expectProperOrder(dpkg, dpkgVersion));

  // The oracle: dpkg itself, part of every Debian system this runs on.
  it('agrees with dpkg --compare-versions', () => {
    const pairs = fc.sample(fc.tuple(dpkgVersion, dpkgVersion), { numRuns: 150, seed: 8 });
    const script = pairs.map(([a, b]) => `if dpkg --compare-versions '${a}' lt '${b}'; then echo lt; elif dpkg --compare-versions '${a}' eq '${b}'; then echo eq; else echo gt; fi`).join('\n');
    const oracle = execFileSync('sh', ['-c', script], { encoding: 'utf8' }).trim().split('\n');
    const ours = pairs.map(([a, b]) => ['lt', 'eq', 'gt'][Math.sign(dpkg.compare(a, b)) + 1]);
    expect(ours).toEqual(oracle);
  });
});

describe('apk ordering (apk-tools version.c)', () => {
  it('orders suffixes, letters and revisions', () => {
    expectAscending(apk, ['1.0_alpha', '1.0_alpha2', '1.0_beta', '1.0_pre1', '1.0_rc1', '1.0', '1.0-r0', '1.0-r1', '1.0-r10', '1.0_p1', '1.0a', '1.0.1', '1.1', '1.10']);
    expectAscending(apk, ['3.0.13-r0', '3.0.14-r0', '3.1.4-r5', '3.1.4-r6']);
  });

  it('compares digits with a leading zero as strings', () => {
    expect(Math.sign(apk.compare('1.01', '1.1'))).toBe(-1);
    expect(Math.sign(apk.compare('1.010', '1.01'))).toBe(1);
    expect(apk.compare('2.002', '2.002')).toBe(0);
  });

  it('validates like apk_version_validate', () => {
    expect(['1.2.3', '1.2_rc1-r3', '1.0a_p2', '1.2~abc1-r0', 'a1', '1.2-3', '1.2_foo', '1.2.'].map(apk.valid)).toEqual([true, true, true, true, false, false, false, false]);
  });

  const apkVersion = fc
    .tuple(fc.array(fc.nat(12), { minLength: 1, maxLength: 3 }), fc.option(fc.constantFrom('a', 'b', 'z')), fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'pre', 'rc', 'cvs', 'svn', 'git', 'hg', 'p'), fc.option(fc.nat(9)))), fc.option(fc.nat(12)))
    .map(([numbers, letter, suffix, revision]) => `${numbers.join('.')}${letter ?? ''}${suffix ? `_${suffix[0]}${suffix[1] ?? ''}` : ''}${revision === null ? '' : `-r${revision}`}`);

  it('is a total order', () => expectProperOrder(apk, apkVersion));

  // Naive oracle on plain dotted numbers: tuple order, a proper prefix sorts first.
  it('orders plain dotted numbers like tuples', () => {
    const plain = fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        let expected = 0;
        for (let i = 0; i < Math.max(a.length, b.length) && expected === 0; i++) {
          if (a[i] === undefined) expected = -1;
          else if (b[i] === undefined) expected = 1;
          else expected = Math.sign((a[i] as number) - (b[i] as number));
        }
        return Math.sign(apk.compare(a.join('.'), b.join('.'))) === expected;
      }),
      { numRuns: 500 },
    );
  });
});

describe('PEP 440 ordering', () => {
  it('orders the example of PEP 440 "Summary of permitted suffixes and relative ordering"', () => {
    expectAscending(pep440, [
      '1.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2', '1.0b2.post345.dev456', '1.0b2.post345',
      '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7', '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1',
    ]);
  });

  it('normalises spellings and honours epochs', () => {
    expect(pep440.compare('1.0RC1', '1.0rc1')).toBe(0);
    expect(pep440.compare('1.0-post1', '1.0.post1')).toBe(0);
    expect(pep440.compare('v1.0', '1.0')).toBe(0);
    expect(Math.sign(pep440.compare('1!0.1', '2024.1'))).toBe(1);
    expect(pep440.valid('not a version')).toBe(false);
  });

  const pepVersion = fc
    .tuple(fc.array(fc.nat(5), { minLength: 1, maxLength: 3 }), fc.option(fc.tuple(fc.constantFrom('a', 'b', 'rc'), fc.nat(3))), fc.option(fc.nat(3)), fc.option(fc.nat(3)))
    .map(([release, pre, post, dev]) => `${release.join('.')}${pre ? `${pre[0]}${pre[1]}` : ''}${post === null ? '' : `.post${post}`}${dev === null ? '' : `.dev${dev}`}`);
  it('is a total order', () => expectProperOrder(pep440, pepVersion));
});

describe('SemVer ordering', () => {
  it('orders the SemVer 2.0.0 §11 example and ignores build metadata', () => {
    expectAscending(semver, ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11', '1.0.0-rc.1', '1.0.0', '2.0.0', '2.1.0', '2.1.1']);
    expect(semver.compare('1.0.0+build.1', '1.0.0+build.2')).toBe(0);
    expect(semver.valid('1.0')).toBe(false);
  });
});

describe('schemeForEcosystem', () => {
  it('maps OSV ecosystems with releases to their ordering', () => {
    expect(['Debian:12', 'Alpine:v3.19', 'PyPI', 'npm', 'Ubuntu:22.04:LTS', 'Go'].map((e) => schemeForEcosystem(e)?.name ?? null)).toEqual(['dpkg', 'apk', 'pep440', 'semver', 'dpkg', null]);
  });
});
