import { apk } from './apk.js';
import { dpkg } from './dpkg.js';
import { pep440 } from './pep440.js';
import { memoized, type VersionScheme } from './scheme.js';
import { semver } from './semver.js';

export { apk, compareApk, validApk } from './apk.js';
export { compareDpkg, dpkg, parseDpkg } from './dpkg.js';
export { pep440 } from './pep440.js';
export { semver } from './semver.js';
export { memoized, type VersionScheme } from './scheme.js';

/**
 * OSV ecosystem (without its `:release` suffix) → version ordering. Ecosystems not listed here
 * cannot be matched by ECOSYSTEM range and are reported as not evaluable.
 */
const DPKG = memoized(dpkg);
const APK = memoized(apk);
export const ECOSYSTEM_SCHEMES: Readonly<Record<string, VersionScheme>> = {
  Debian: DPKG,
  Ubuntu: DPKG,
  Alpine: APK,
  Wolfi: APK,
  Chainguard: APK,
  PyPI: memoized(pep440),
  npm: memoized(semver),
};

/** SemVer 2.0 for OSV `SEMVER` ranges, whatever the ecosystem. */
export const SEMVER_RANGES: VersionScheme = memoized(semver);

/** The scheme of an OSV ecosystem string such as "Debian:12" or "Alpine:v3.19". */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const base = ecosystem.split(':', 1)[0] ?? ecosystem;
  return ECOSYSTEM_SCHEMES[base];
}
