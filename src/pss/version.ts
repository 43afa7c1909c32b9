/** Policy versions: `v1.<minor>` or `latest`, as upstream's api.ParseVersion accepts them. */

const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

export const LATEST = 'latest';

/** Upstream reads the minor with Go's strconv.Atoi: a 64-bit int, so a larger one is not a version. */
const MAX_MINOR = 2n ** 63n - 1n;

/**
 * The minor number of `v1.<minor>`, or undefined for anything else (including `latest`). Minors
 * past 2^53 come back rounded: they are only ever compared with the minors the checks know, and
 * are newer than all of them either way.
 */
export function minorOf(version: string): number | undefined {
  const match = VERSION_PATTERN.exec(version);
  if (!match?.[1]) return undefined;
  if (match[1].length > 15 && BigInt(match[1]) > MAX_MINOR) return undefined;
  return Number(match[1]);
}

export function versionOf(minor: number): string {
  return `v1.${minor}`;
}
