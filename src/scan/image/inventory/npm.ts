import type { ImagePackage } from '../types.js';
import { purlFor } from './purl.js';

/** The package.json at the root of an installed package: node_modules/<name>/ or node_modules/@scope/<name>/. */
export function isNpmManifestPath(path: string): boolean {
  return /(^|\/)node_modules\/(?:@[^/]+\/)?[^/@][^/]*\/package\.json$/.test(path);
}

export function readNpmManifest(text: string, path: string, layer?: string): ImagePackage[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  if (value === null || typeof value !== 'object') return [];
  const { name, version } = value as { name?: unknown; version?: unknown };
  if (typeof name !== 'string' || typeof version !== 'string' || name === '' || version === '') return [];
  const scoped = /^(@[^/]+)\/(.+)$/.exec(name);
  return [{ name, version, ecosystem: 'npm', purl: purlFor('npm', scoped?.[1], scoped?.[2] ?? name, version), ...(layer !== undefined ? { layer } : {}), path }];
}
