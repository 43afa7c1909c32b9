import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PalisadeError } from '../../../core/errors.js';
import { isDockerfileName } from '../../../core/load.js';

export interface DockerfileText {
  path: string;
  text: string;
}

const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', '.git']);

/**
 * Read Dockerfiles: a file named on the command line is read whatever its name; a directory is
 * walked (sorted) for Dockerfile, Dockerfile.*, *.Dockerfile and Containerfile.
 */
export async function readDockerfiles(paths: readonly string[]): Promise<{ files: DockerfileText[]; errors: PalisadeError[] }> {
  const files: DockerfileText[] = [];
  const errors: PalisadeError[] = [];
  for (const path of paths) {
    try {
      const info = await stat(path);
      const found = info.isDirectory() ? await walk(path) : [path];
      for (const file of found) files.push({ path: file, text: await readFile(file, 'utf8') });
    } catch (cause) {
      const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
      errors.push(new PalisadeError(missing ? 'LOAD_NOT_FOUND' : 'LOAD_READ_FAILED', missing ? `no such file or directory: ${path}` : `cannot read ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: path, line: 1, column: 1 }, cause }));
    }
  }
  return { files, errors };
}

async function walk(dir: string): Promise<string[]> {
  const found: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRECTORIES.has(entry.name)) found.push(...(await walk(full)));
    else if (entry.isFile() && isDockerfileName(entry.name)) found.push(full);
  }
  return found;
}
