import { lstat, readdir, readlink, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { extname } from 'node:path';
import { PalisadeError } from '../errors.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export function isDockerfileName(name: string): boolean {
  return name === 'Dockerfile' || name.startsWith('Dockerfile.') || name.endsWith('.Dockerfile') || name === 'Containerfile';
}

function isInputName(name: string): boolean {
  return MANIFEST_EXTENSIONS.has(extname(name).toLowerCase()) || isDockerfileName(name);
}

/** The files a path names, and what the walk has to say about the entries it did not read. */
export interface Expanded {
  files: string[];
  notes: PalisadeError[];
}

/** What a non-regular file is, for messages. */
export function fileKind(info: Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isDirectory()) return 'a directory';
  return 'not a regular file';
}

function notRegular(path: string, info: Stats): PalisadeError {
  return new PalisadeError('LOAD_NOT_REGULAR', `not read: ${path} is ${fileKind(info)}; only regular files are read (pipe manifests to "-" instead)`, { errorClass: 'severe', location: { file: path, line: 1, column: 1 } });
}

/**
 * The input files under a path. Only regular files are read: a FIFO would block the read forever
 * and a device never ends. A symbolic link inside a directory is followed when it leads to a
 * regular file, and said so (a link to a directory is not followed: it could loop); a path the
 * user names is followed as the shell would.
 */
export async function expandPath(path: string): Promise<Expanded> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const out: Expanded = { files: [], notes: [] };
    await walk(path, out);
    return out;
  }
  if (!info.isFile()) return { files: [], notes: [notRegular(path, info)] };
  return { files: [path], notes: [] };
}

async function walk(dir: string, out: Expanded): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Keep the path as the user wrote it (`./deploy/` stays `./deploy/…`), so findings match their input.
    const full = dir.endsWith('/') ? dir + entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) await walk(full, out);
    } else if (entry.isFile()) {
      if (isInputName(entry.name)) out.files.push(full);
    } else if (entry.isSymbolicLink()) {
      if (isInputName(entry.name)) await followLink(full, out);
    } else if (isInputName(entry.name)) {
      out.notes.push(notRegular(full, await lstat(full)));
    }
  }
}

async function followLink(path: string, out: Expanded): Promise<void> {
  const target = await readlink(path).catch(() => '?');
  let info: Stats;
  try {
    info = await stat(path);
  } catch {
    out.notes.push(new PalisadeError('LOAD_SYMLINK', `not read: ${path} is a symbolic link to ${target}, which does not exist`, { errorClass: 'warning', location: { file: path, line: 1, column: 1 } }));
    return;
  }
  if (info.isFile()) {
    out.files.push(path);
    out.notes.push(new PalisadeError('LOAD_SYMLINK', `read ${path} through its symbolic link to ${target}`, { errorClass: 'warning', location: { file: path, line: 1, column: 1 } }));
  } else if (info.isDirectory()) {
    out.notes.push(new PalisadeError('LOAD_SYMLINK', `not followed: ${path} is a symbolic link to the directory ${target}; name it on the command line to read it`, { errorClass: 'warning', location: { file: path, line: 1, column: 1 } }));
  } else {
    out.notes.push(notRegular(path, info));
  }
}
