import { PackageURL } from 'packageurl-js';
import type { ImagePackage } from '../types.js';
import { isPlainObject } from '../../../core/object.js';

/** Source-package properties that SBOM producers write (palisade's own, Trivy's). */
const SOURCE_NAME_PROPERTIES = ['palisade:source', 'aquasecurity:trivy:SrcName'];
const SOURCE_VERSION_PROPERTY = 'aquasecurity:trivy:SrcVersion';

/**
 * The OSV ecosystem of a purl: deb/apk carry the distribution release in their `distro`
 * qualifier (debian-12, ubuntu-22.04, 3.19.1); pypi and npm have none. Types palisade cannot
 * match (gem, maven, conda…) give undefined: they are listed, never matched against the wrong data.
 */
export function ecosystemOfPurl(purl: PackageURL): string | undefined {
  const distro = purl.qualifiers?.distro;
  switch (purl.type) {
    case 'deb': {
      const match = /^(debian|ubuntu)-(\d+(?:\.\d+)?)/.exec(distro ?? '');
      const family = purl.namespace === 'ubuntu' ? 'Ubuntu' : 'Debian';
      if (!match) return family;
      return family === 'Debian' ? `Debian:${(match[2] as string).split('.')[0]}` : `Ubuntu:${match[2]}`;
    }
    case 'apk': {
      const match = /(\d+)\.(\d+)/.exec(distro ?? '');
      return match ? `Alpine:v${match[1]}.${match[2]}` : 'Alpine';
    }
    case 'pypi':
      return 'PyPI';
    case 'npm':
      return 'npm';
    default:
      return undefined;
  }
}

function fromPurl(text: string, path: string, source?: { name: string; version?: string }): ImagePackage | undefined {
  let purl: PackageURL;
  try {
    purl = PackageURL.fromString(text);
  } catch {
    return undefined;
  }
  const ecosystem = ecosystemOfPurl(purl);
  if (!ecosystem || !purl.version) return undefined;
  const name = purl.type === 'npm' && purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
  return { name, version: purl.version, ecosystem, purl: text, path, ...(source ? { source } : {}) };
}

/** Packages of a CycloneDX BOM (nested components included), from their purls. */
export function packagesFromCycloneDx(file: string, doc: Record<string, unknown>): ImagePackage[] {
  const packages: ImagePackage[] = [];
  const walk = (items: unknown): void => {
    for (const c of Array.isArray(items) ? items.filter(isPlainObject) : []) {
      const properties = Array.isArray(c.properties) ? c.properties.filter(isPlainObject) : [];
      const property = (names: string[]): string | undefined => properties.find((p) => typeof p.name === 'string' && names.includes(p.name) && typeof p.value === 'string')?.value as string | undefined;
      const sourceText = property(SOURCE_NAME_PROPERTIES);
      const [sourceName, sourceVersion] = (sourceText ?? '').split(' ');
      const version = property([SOURCE_VERSION_PROPERTY]) ?? sourceVersion;
      const source = sourceName ? { name: sourceName, ...(version ? { version } : {}) } : undefined;
      const pkg = typeof c.purl === 'string' ? fromPurl(c.purl, file, source) : undefined;
      if (pkg) packages.push(pkg);
      walk(c.components);
    }
  };
  walk(doc.components);
  return packages;
}

/** Packages of an SPDX 2.x document, from PACKAGE-MANAGER purl external references. */
export function packagesFromSpdx(file: string, doc: Record<string, unknown>): ImagePackage[] {
  const packages: ImagePackage[] = [];
  for (const p of Array.isArray(doc.packages) ? doc.packages.filter(isPlainObject) : []) {
    for (const ref of Array.isArray(p.externalRefs) ? p.externalRefs.filter(isPlainObject) : []) {
      if (ref.referenceType !== 'purl' || typeof ref.referenceLocator !== 'string') continue;
      const pkg = fromPurl(ref.referenceLocator, file);
      if (pkg) packages.push(pkg);
    }
  }
  return packages;
}
