import type { Distro, ImagePackage } from '../types.js';
import { readApkInstalled } from './apk.js';
import { readDpkgStatus } from './dpkg.js';
import { readNpmManifest, isNpmManifestPath } from './npm.js';
import { distroFromOsRelease } from './osRelease.js';
import { isPythonMetadataPath, readPythonMetadata } from './python.js';

export { distroFromOsRelease, parseOsRelease } from './osRelease.js';
export { parseParagraphs, readDpkgStatus } from './dpkg.js';
export { readApkInstalled } from './apk.js';
export { isPythonMetadataPath, readPythonMetadata } from './python.js';
export { isNpmManifestPath, readNpmManifest } from './npm.js';

export const OS_RELEASE_PATHS: readonly string[] = ['etc/os-release', 'usr/lib/os-release'];
const DPKG_STATUS = 'var/lib/dpkg/status';
const DPKG_STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;
const APK_INSTALLED = 'lib/apk/db/installed';

/** Files whose content the inventory needs. Paths are relative, without a leading "./" or "/". */
export function isInventoryPath(path: string): boolean {
  return OS_RELEASE_PATHS.includes(path) || path === DPKG_STATUS || (DPKG_STATUS_D.test(path) && !path.endsWith('.md5sums')) || path === APK_INSTALLED || isPythonMetadataPath(path) || isNpmManifestPath(path);
}

export interface InventoryFile {
  path: string;
  text: string;
  layer?: string;
}

/** Packages from the image's final filesystem (after whiteouts), sorted by ecosystem, name, version, path. */
export function inventory(files: readonly InventoryFile[]): { distro?: Distro; packages: ImagePackage[] } {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const osRelease = OS_RELEASE_PATHS.map((p) => byPath.get(p)).find((f) => f !== undefined);
  const distro = osRelease ? distroFromOsRelease(osRelease.text) : undefined;
  const packages: ImagePackage[] = [];
  for (const file of files) {
    if (file.path === DPKG_STATUS || (DPKG_STATUS_D.test(file.path) && !file.path.endsWith('.md5sums'))) for (const found of readDpkgStatus(file.text, file.path, distro, file.layer)) packages.push(found); // no spread: a status file can list a million packages
    else if (file.path === APK_INSTALLED) for (const found of readApkInstalled(file.text, file.path, distro, file.layer)) packages.push(found);
    else if (isPythonMetadataPath(file.path)) packages.push(...readPythonMetadata(file.text, file.path, file.layer));
    else if (isNpmManifestPath(file.path)) packages.push(...readNpmManifest(file.text, file.path, file.layer));
  }
  const text = (p: ImagePackage): string => `${p.ecosystem}\u0000${p.name}\u0000${p.version}\u0000${p.path}`;
  packages.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
  return { ...(distro ? { distro } : {}), packages };
}
