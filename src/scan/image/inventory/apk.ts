import type { Distro, ImagePackage } from '../types.js';
import { purlFor } from './purl.js';

/**
 * Alpine's installed database (lib/apk/db/installed): one record per package, `X:value` lines,
 * records separated by blank lines. P name, V version, A arch, o origin (the source package).
 */
export function readApkInstalled(text: string, path: string, distro: Distro | undefined, layer?: string): ImagePackage[] {
  const packages: ImagePackage[] = [];
  for (const record of text.split(/\r?\n\r?\n/)) {
    const fields: Record<string, string> = {};
    for (const line of record.split(/\r?\n/)) {
      const match = /^([A-Za-z]):(.*)$/.exec(line);
      if (match && !((match[1] as string) in fields)) fields[match[1] as string] = match[2] as string;
    }
    const name = fields.P;
    const version = fields.V;
    if (!name || !version) continue;
    const qualifiers: Record<string, string> = { arch: fields.A ?? '' };
    if (distro?.versionId) qualifiers.distro = distro.versionId;
    const namespace = distro?.id === 'wolfi' || distro?.id === 'chainguard' ? distro.id : 'alpine';
    packages.push({
      name,
      version,
      ecosystem: distro?.ecosystem ?? 'Alpine',
      purl: purlFor('apk', namespace, name, version, qualifiers),
      ...(layer !== undefined ? { layer } : {}),
      path,
      ...(fields.o ? { source: { name: fields.o } } : {}),
    });
  }
  return packages;
}
