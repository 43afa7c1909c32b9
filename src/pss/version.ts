/** Policy versions: `v1.<minor>` or `latest`, as upstream's api.ParseVersion accepts them. */

const VERSION_PATTERN = /^v1\.(0|[1-9][0-9]*)$/;

export const LATEST = 'latest';

/** The minor number of `v1.<minor>`, or undefined for anything else (including `latest`). */
export function minorOf(version: string): number | undefined {
  const match = VERSION_PATTERN.exec(version);
  if (!match?.[1]) return undefined;
  const minor = Number(match[1]);
  return Number.isSafeInteger(minor) ? minor : undefined;
}

export function versionOf(minor: number): string {
  return `v1.${minor}`;
}
