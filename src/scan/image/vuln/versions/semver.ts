import semverCompare from 'semver/functions/compare.js';
import semverValid from 'semver/functions/valid.js';
import type { VersionScheme } from './scheme.js';

/**
 * SemVer 2.0.0 (npm, and OSV `SEMVER` ranges): pre-releases sort before their release, build
 * metadata is ignored. OSV requires no leading "v"; npm's parser also accepts one, so do we.
 */
export const semver: VersionScheme = {
  name: 'semver',
  valid: (version) => semverValid(version) !== null,
  compare: (a, b) => semverCompare(a, b),
};
