import { compareDigits, type VersionScheme } from './scheme.js';

/**
 * Debian version ordering, Debian Policy Manual §5.6.12: `[epoch:]upstream[-revision]`. Epochs
 * compare as numbers; upstream and revision compare alternately by non-digit runs (letters sort
 * before non-letters, `~` before everything, even the end) and digit runs (as numbers).
 */
export interface DpkgVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

export function parseDpkg(version: string): DpkgVersion | undefined {
  const text = version.trim();
  const colon = text.indexOf(':');
  const epoch = colon >= 0 ? text.slice(0, colon) : '0';
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (!/^[0-9]+$/.test(epoch)) return undefined;
  // Policy: upstream starts with a digit; dpkg itself only warns, so accept any allowed characters.
  if (upstream === '' || !/^[A-Za-z0-9.+~:-]+$/.test(upstream)) return undefined;
  if (dash >= 0 && !/^[A-Za-z0-9.+~]+$/.test(revision)) return undefined;
  return { epoch, upstream, revision };
}

/** dpkg's order() of one character; undefined (the end of the string) is 0. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c >= '0' && c <= '9') return 0;
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** dpkg's verrevcmp, walking both strings by index (it runs thousands of times per scan). */
export function compareFragment(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const difference = order(a[i]) - order(b[j]);
      if (difference !== 0) return difference;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    let firstDifference = 0;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDifference === 0) firstDifference = (a.charCodeAt(i) as number) - (b.charCodeAt(j) as number);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDifference !== 0) return firstDifference;
  }
  return 0;
}

export function compareDpkg(a: string, b: string): number {
  const x = parseDpkg(a);
  const y = parseDpkg(b);
  if (!x || !y) throw new Error(`not a Debian version: ${!x ? a : b}`);
  return compareDigits(x.epoch, y.epoch) || compareFragment(x.upstream, y.upstream) || compareFragment(x.revision, y.revision);
}

export const dpkg: VersionScheme = {
  name: 'dpkg',
  valid: (version) => parseDpkg(version) !== undefined,
  compare: compareDpkg,
};
