import type { ImagePackage } from '../types.js';
import { purlFor } from './purl.js';

/** `*.dist-info/METADATA` and `*.egg-info/PKG-INFO` (or an `*.egg-info` file): core metadata headers. */
export function isPythonMetadataPath(path: string): boolean {
  return /(^|\/)[^/]+\.dist-info\/METADATA$/.test(path) || /(^|\/)[^/]+\.egg-info\/PKG-INFO$/.test(path) || /(^|\/)[^/]+\.egg-info$/.test(path);
}

export function readPythonMetadata(text: string, path: string, layer?: string): ImagePackage[] {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // the body (description) starts after the first blank line
    const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (match && !((match[1] as string).toLowerCase() in headers)) headers[(match[1] as string).toLowerCase()] = (match[2] as string).trim();
  }
  const name = headers.name;
  const version = headers.version;
  if (!name || !version) return [];
  return [{ name, version, ecosystem: 'PyPI', purl: purlFor('pypi', undefined, name, version), ...(layer !== undefined ? { layer } : {}), path }];
}
