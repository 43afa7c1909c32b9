import type { Distro } from '../types.js';

/** /etc/os-release (freedesktop os-release(5)): KEY=value lines, values optionally quoted. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!match) continue;
    let value = match[2] as string;
    const quoted = /^(["'])([\s\S]*)\1$/.exec(value);
    if (quoted) value = (quoted[2] as string).replace(/\\(["'$`\\])/g, '$1');
    fields[match[1] as string] = value;
  }
  return fields;
}

/**
 * How each distribution names its OSV ecosystem from VERSION_ID. A data table: add distributions
 * here as OSV gains them.
 */
const OSV_ECOSYSTEMS: Readonly<Record<string, (versionId: string | undefined) => string | undefined>> = {
  debian: (v) => (v ? `Debian:${v.split('.')[0]}` : 'Debian'),
  ubuntu: (v) => (v ? `Ubuntu:${v}` : 'Ubuntu'),
  alpine: (v) => {
    const match = v ? /^(\d+)\.(\d+)/.exec(v) : null;
    return match ? `Alpine:v${match[1]}.${match[2]}` : 'Alpine';
  },
  wolfi: () => 'Wolfi',
  chainguard: () => 'Chainguard',
};

export function distroFromOsRelease(text: string): Distro {
  const fields = parseOsRelease(text);
  const id = (fields.ID ?? 'unknown').toLowerCase();
  const ecosystem = OSV_ECOSYSTEMS[id]?.(fields.VERSION_ID);
  return {
    id,
    ...(fields.VERSION_ID !== undefined ? { versionId: fields.VERSION_ID } : {}),
    ...(fields.PRETTY_NAME !== undefined ? { prettyName: fields.PRETTY_NAME } : {}),
    ...(ecosystem !== undefined ? { ecosystem } : {}),
  };
}
