import { readdir, stat } from 'node:fs/promises';
import { extname } from 'node:path';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function isDockerfileName(name: string): boolean {
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name === 'Containerfile';
}

export async function expandPath(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const found: string[] = [];
  await walk(path, found);
  return found;
}

async function walk(dir: string, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Keep the path as the user wrote it (`./deploy/` stays `./deploy/…`), so findings match their input.
    const full = dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, found);
    } else if (entry.isFile() && (MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()) || isDockerfileName(entry.name))) {
      found.push(full);
    }
  }
}
