import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PalisadeError } from '../../../core/errors.js';
import { readAdvisory, type OsvAdvisory } from './osv.js';

/**
 * An offline OSV database: advisories indexed by ecosystem (without release) and package name,
 * so matching is one lookup per package. Withdrawn advisories are counted and left out.
 */
export interface OsvDatabase {
  size: number;
  withdrawn: number;
  lookup(ecosystem: string, name: string): readonly OsvAdvisory[];
}

/** PyPI names compare normalised (PEP 503); other ecosystems compare as written. */
export function normalizePackageName(ecosystem: string, name: string): string {
  const base = ecosystem.split(':', 1)[0] ?? ecosystem;
  return base === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

function key(ecosystem: string, name: string): string {
  const base = ecosystem.split(':', 1)[0] ?? ecosystem;
  return `${base}\u0000${normalizePackageName(base, name)}`;
}

export function indexAdvisories(advisories: Iterable<OsvAdvisory>): OsvDatabase {
  const index = new Map<string, OsvAdvisory[]>();
  let size = 0;
  let withdrawn = 0;
  for (const advisory of advisories) {
    if (advisory.withdrawn !== undefined) {
      withdrawn++;
      continue;
    }
    size++;
    const keys = new Set(advisory.affected.flatMap((a) => (a.package ? [key(a.package.ecosystem, a.package.name)] : [])));
    for (const k of keys) {
      const list = index.get(k);
      if (list) list.push(advisory);
      else index.set(k, [advisory]);
    }
  }
  return { size, withdrawn, lookup: (ecosystem, name) => index.get(key(ecosystem, name)) ?? [] };
}

export interface LoadedDatabase {
  database: OsvDatabase;
  errors: PalisadeError[];
}

/**
 * Read a directory of OSV JSON files (any depth), and zip files of them as osv.dev publishes
 * (`<ecosystem>/all.zip`). A file that is not an advisory is an error value, not a crash.
 */
export async function loadOsvDatabase(dir: string): Promise<LoadedDatabase> {
  const advisories: OsvAdvisory[] = [];
  const errors: PalisadeError[] = [];
  const add = (file: string, text: string): void => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      errors.push(new PalisadeError('OSV_BAD_JSON', `${file}: not JSON: ${(cause as Error).message}`, { location: { file, line: 1, column: 1 }, cause }));
      return;
    }
    const list = Array.isArray(value) ? value : [value];
    for (const item of list) {
      const advisory = readAdvisory(item);
      if (advisory) advisories.push(advisory);
      else errors.push(new PalisadeError('OSV_NOT_AN_ADVISORY', `${file}: not an OSV advisory (no "id")`, { location: { file, line: 1, column: 1 }, errorClass: 'warning' }));
    }
  };
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR' });
  } catch (cause) {
    errors.push(new PalisadeError('OSV_DB_NOT_FOUND', `cannot read the OSV database ${dir}: ${(cause as Error).message}`, { errorClass: 'fatal', location: { file: dir, line: 1, column: 1 }, cause }));
    return { database: indexAdvisories([]), errors };
  }
  for (const file of await listFiles(dir)) {
    if (file.endsWith('.json')) add(file, await readFile(file, 'utf8'));
    else if (file.endsWith('.zip')) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(await readFile(file), { filter: (entry) => entry.name.endsWith('.json') });
      } catch (cause) {
        errors.push(new PalisadeError('OSV_BAD_ZIP', `${file}: not a readable zip: ${(cause as Error).message}`, { location: { file, line: 1, column: 1 }, cause }));
        continue;
      }
      const decoder = new TextDecoder();
      for (const [name, bytes] of Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : 1))) add(`${file}!${name}`, decoder.decode(bytes));
    }
  }
  return { database: indexAdvisories(advisories), errors };
}

/** Every regular file under dir, depth first, names in byte order (so databases load the same way everywhere). */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(full)));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}
