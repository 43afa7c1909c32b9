import type { Distro, ImagePackage } from '../types.js';
import { purlFor } from './purl.js';

/** Deb822 paragraphs: `Field: value` lines, continuation lines start with a blank. */
export function parseParagraphs(text: string): Array<Record<string, string>> {
  const paragraphs: Array<Record<string, string>> = [];
  let current: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (Object.keys(current).length > 0) paragraphs.push(current);
      current = {};
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line)) {
      if (last !== undefined) current[last] += '\n' + line.trim();
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon);
    current[last] = line.slice(colon + 1).trim();
  }
  if (Object.keys(current).length > 0) paragraphs.push(current);
  return paragraphs;
}

/**
 * Installed packages of a dpkg status file (or one distroless status.d/ file). Only packages
 * whose Status says "installed"; the Source field (`name` or `name (version)`) is kept because
 * Debian advisories name source packages.
 */
export function readDpkgStatus(text: string, path: string, distro: Distro | undefined, layer?: string): ImagePackage[] {
  const packages: ImagePackage[] = [];
  const namespace = distro?.id === 'ubuntu' ? 'ubuntu' : 'debian';
  for (const fields of parseParagraphs(text)) {
    const name = fields.Package;
    const version = fields.Version;
    if (!name || !version) continue;
    // distroless status.d files have no Status field: their presence means installed.
    if (fields.Status !== undefined && fields.Status.split(/\s+/)[2] !== 'installed') continue;
    const source = /^(\S+)(?:\s+\(([^)]+)\))?$/.exec(fields.Source ?? '');
    const qualifiers: Record<string, string> = { arch: fields.Architecture ?? '' };
    if (distro?.versionId) qualifiers.distro = `${distro.id}-${distro.versionId}`;
    packages.push({
      name,
      version,
      ecosystem: distro?.ecosystem ?? (namespace === 'ubuntu' ? 'Ubuntu' : 'Debian'),
      purl: purlFor('deb', namespace, name, version, qualifiers),
      ...(layer !== undefined ? { layer } : {}),
      path,
      ...(source ? { source: { name: source[1] as string, ...(source[2] !== undefined ? { version: source[2] } : {}) } } : {}),
    });
  }
  return packages;
}
