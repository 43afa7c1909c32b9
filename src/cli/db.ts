import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import { listFiles } from '../scan/image/vuln/index.js';
import { describe } from './commands.js';

/** Where OSV publishes one zip of every advisory per ecosystem (PyPI, Debian, Alpine, npm, Go…). */
export const OSV_EXPORTS = 'https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip';

/**
 * The local OSV database that `scan image` and `scan report` use when no --db is given:
 * $PALISADE_DB_DIR, else $XDG_CACHE_HOME/palisade/osv, else ~/.cache/palisade/osv.
 */
export function defaultDbDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PALISADE_DB_DIR) return env.PALISADE_DB_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'palisade', 'osv');
}

/** The database to use: --db, else the local one when it exists; undefined when there is none. */
export async function chooseDb(flag: string | undefined): Promise<{ dir: string; local: boolean } | undefined> {
  if (flag !== undefined) return { dir: flag, local: false };
  const dir = defaultDbDir();
  try {
    if ((await stat(dir)).isDirectory()) return { dir, local: true };
  } catch {
    // no local database
  }
  return undefined;
}

export const NO_DB_NOTE = `no vulnerability database: packages are listed but not matched against advisories. Build one with \`palisade db update --from all.zip\` from OSV's exports (${OSV_EXPORTS}), or pass --db DIR`;

export function register(program: Command, setExit: (code: number) => void): void {
  const db = program.command('db').description(describe('db'));
  db.command('update')
    .description(`build the local OSV database from OSV's published ecosystem exports (zips of JSON advisories, ${OSV_EXPORTS}); offline: download them first`)
    .requiredOption('--from <file|dir>', 'an all.zip export, an advisory JSON file, or a directory of them (any depth)')
    .option('--db-dir <dir>', 'where to build it (default: $PALISADE_DB_DIR, else $XDG_CACHE_HOME/palisade/osv, else ~/.cache/palisade/osv)')
    .option('-q, --quiet', 'print nothing on success')
    .action(async (options: { from: string; dbDir?: string; quiet?: boolean }) => {
      setExit(await update(options.from, options.dbDir ?? defaultDbDir(), options.quiet === true));
    });
}

/**
 * Validate every export, then install each under the name of its ecosystems (`PyPI.zip`,
 * `Debian.zip`), so updating one ecosystem keeps the others. Each file is written next to its
 * final place and renamed, so a failed update leaves the previous database whole.
 */
async function update(from: string, dir: string, quiet: boolean): Promise<number> {
  let files: string[];
  try {
    files = (await stat(from)).isDirectory() ? await listFiles(from) : [from];
  } catch (cause) {
    throw new PalisadeError('LOAD_NOT_FOUND', `cannot read --from ${from}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
  }
  files = files.filter((f) => f.endsWith('.zip') || f.endsWith('.json'));
  if (files.length === 0) throw new PalisadeError('USAGE', `nothing to build from: ${from} holds no .zip or .json file (OSV exports are at ${OSV_EXPORTS})`, { errorClass: 'fatal' });
  const { unzipSync } = await import('fflate');
  const { readAdvisory } = await import('../scan/image/vuln/index.js');
  const installs: Array<{ name: string; bytes: Buffer; advisories: number }> = [];
  for (const file of files) {
    const bytes = await readFile(file);
    const texts: Array<[string, string]> = [];
    if (file.endsWith('.zip')) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(bytes, { filter: (entry) => entry.name.endsWith('.json') });
      } catch (cause) {
        throw new PalisadeError('OSV_BAD_ZIP', `${file}: not a readable zip: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
      }
      const decoder = new TextDecoder();
      for (const [name, data] of Object.entries(entries)) texts.push([`${file}!${name}`, decoder.decode(data)]);
    } else texts.push([file, bytes.toString('utf8')]);
    const ecosystems = new Set<string>();
    let advisories = 0;
    for (const [name, text] of texts) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new PalisadeError('OSV_BAD_JSON', `${name}: not JSON: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
      }
      for (const item of Array.isArray(value) ? value : [value]) {
        const advisory = readAdvisory(item);
        if (!advisory) throw new PalisadeError('OSV_NOT_AN_ADVISORY', `${name}: not an OSV advisory (no "id")`, { errorClass: 'fatal' });
        advisories++;
        for (const a of advisory.affected) if (a.package) ecosystems.add(a.package.ecosystem.split(':', 1)[0] ?? a.package.ecosystem);
      }
    }
    if (advisories === 0) throw new PalisadeError('USAGE', `${file}: no OSV advisory in it`, { errorClass: 'fatal' });
    const stem = ecosystems.size > 0 ? [...ecosystems].sort().join('+').replace(/[^A-Za-z0-9+._-]/g, '_') : basename(file).replace(/\.(zip|json)$/, '');
    installs.push({ name: `${stem}${file.endsWith('.zip') ? '.zip' : '.json'}`, bytes, advisories });
  }
  const names = new Map<string, number>();
  for (const install of installs) names.set(install.name, (names.get(install.name) ?? 0) + 1);
  // Two inputs for one ecosystem: keep both, numbered.
  const seen = new Map<string, number>();
  await mkdir(dir, { recursive: true });
  for (const install of installs) {
    let name = install.name;
    if ((names.get(name) ?? 0) > 1) {
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      name = name.replace(/(\.zip|\.json)$/, `.${n}$1`);
    }
    const target = join(dir, name);
    const temp = join(dirname(target), `.${name}.palisade-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, install.bytes, { flag: 'wx' });
      await rename(temp, target);
    } catch (cause) {
      await rm(temp, { force: true });
      throw new PalisadeError('OUTPUT_WRITE_FAILED', `cannot write ${target}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
    }
    if (!quiet) process.stdout.write(`${target}: ${install.advisories} advisories\n`);
  }
  return 0;
}
