import { compare, valid } from '@renovatebot/pep440';
import type { VersionScheme } from './scheme.js';

/** PEP 440 (PyPI): epochs, pre/post/dev releases, local versions; ordering from @renovatebot/pep440. */
export const pep440: VersionScheme = {
  name: 'pep440',
  valid: (version) => valid(version) !== null,
  compare: (a, b) => compare(a, b),
};
