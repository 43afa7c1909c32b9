import { PackageURL } from 'packageurl-js';

/** Package URLs (purl-spec) for the package types palisade inventories. */
export function purlFor(type: 'deb' | 'apk' | 'pypi' | 'npm', namespace: string | undefined, name: string, version: string, qualifiers?: Record<string, string>): string {
  const cleaned = qualifiers ? Object.fromEntries(Object.entries(qualifiers).filter(([, v]) => v !== '')) : undefined;
  return new PackageURL(type, namespace ?? null, name, version, cleaned && Object.keys(cleaned).length > 0 ? cleaned : null, null).toString();
}
