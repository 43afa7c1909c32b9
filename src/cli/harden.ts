import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { PalisadeError } from '../core/errors.js';
import type { InputText } from '../core/load.js';
import type { Severity } from '../core/types.js';
import type { HardenedText, HardenOptions } from '../harden/index.js';
import { describe } from './commands.js';
import { REPORT_FORMATS, checkInputPaths, emit, errorFindings, failOnOption, formatOption, makeReport, nothingToCheck, sourceLineFrom, type ExtraFormats } from './common.js';

/** diff (default), the hardened YAML itself (default for stdin), then the shared report formats. */
const HARDEN_FORMATS = ['diff', 'yaml', ...REPORT_FORMATS] as const;

interface HardenFlags {
  level: string;
  version: string;
  uid: string;
  write?: boolean;
  outDir?: string;
  format?: string;
  failOn: Severity | 'none';
  strict?: boolean;
  color?: boolean;
}

/** One input file after hardening, and what happened to it on disk. */
interface FileOutcome {
  hardened: HardenedText;
  written?: string;
}

export function register(program: Command, setExit: (code: number) => void): void {
  program
    .command('harden')
    .description(describe('harden'))
    .argument('[paths...]', 'manifest files, directories (Dockerfiles in them decide image UIDs), or - for stdin', ['-'])
    .addOption(new Option('--level <level>', 'PSS level to pass').choices(['baseline', 'restricted']).default('restricted'))
    .addOption(new Option('--version <version>', 'PSS version v1.0 … v1.37 or latest').default('latest'))
    .addOption(new Option('--uid <uid>', 'UID (and GID) to run as when the image user is unknown or root').default('65532'))
    .option('--write', 'edit the files in place (atomic replace; a file changed since it was read is left alone)')
    .option('-o, --out-dir <dir>', 'write hardened copies of the input files under this directory')
    .addOption(formatOption(HARDEN_FORMATS, 'stdout format (default: diff; yaml for stdin; text with --write or -o)', ''))
    .addOption(failOnOption('exit 1 when a blocker (high) or input error is at or above this severity (critical, high, medium, low, info, none)'))
    .option('--strict', 'exit 2 on any input error, even when other input was read')
    .option('--no-color', 'never colour the text output')
    .action(async (paths: string[], flags: HardenFlags) => {
      setExit(await run(paths, flags));
    });
}

async function run(paths: string[], flags: HardenFlags): Promise<number> {
  const options = await parseOptions(flags);
  const stdin = paths.includes('-');
  if (flags.write && stdin) throw new PalisadeError('USAGE', '--write cannot write to stdin; use a file path, or read the hardened YAML from stdout', { errorClass: 'fatal' });
  if (flags.write && flags.outDir) throw new PalisadeError('USAGE', '--write and --out-dir are exclusive', { errorClass: 'fatal' });
  if (flags.outDir && stdin) throw new PalisadeError('USAGE', '--out-dir needs file inputs, not stdin', { errorClass: 'fatal' });
  checkInputPaths(paths);
  const format = flags.format || (flags.write || flags.outDir ? 'text' : stdin ? 'yaml' : 'diff');

  const { readInputs } = await import('../core/load.js');
  const { hardenText, imageUsers, unifiedDiff, blockerFindings } = await import('../harden/index.js');
  const inputs: InputText[] = [];
  const loadErrors: PalisadeError[] = [];
  for await (const input of readInputs(paths)) {
    if (input instanceof PalisadeError) loadErrors.push(input);
    else inputs.push(input);
  }
  const lookup = imageUsers(inputs.filter((i) => i.dockerfile));
  const outcomes: FileOutcome[] = inputs.filter((i) => !i.dockerfile).map((input) => ({ hardened: hardenText(input.path, input.text, { ...options, imageUsers: lookup }) }));
  for (const outcome of outcomes) loadErrors.push(...outcome.hardened.errors);

  const writeErrors: PalisadeError[] = [];
  if (flags.write) {
    const { writeHardened } = await import('./hardenWrite.js');
    for (const outcome of outcomes) {
      const { path, original, text, splices } = outcome.hardened;
      if (text === original) continue;
      const written = await writeHardened({ path, root: inputRoot(paths, path), original, splices });
      for (const note of written.notes) process.stderr.write(`palisade: ${note}\n`);
      if (written.error) writeErrors.push(written.error);
      else outcome.written = written.written ?? path;
    }
  } else if (flags.outDir) {
    for (const outcome of outcomes) {
      const target = copyPath(flags.outDir, outcome.hardened.path);
      if (resolve(target) === resolve(outcome.hardened.path)) {
        writeErrors.push(new PalisadeError('HARDEN_WOULD_OVERWRITE', `refusing to write ${target}: it is the input file itself; choose another --out-dir`, { errorClass: 'fatal', location: { file: outcome.hardened.path, line: 1, column: 1 } }));
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, outcome.hardened.text);
      outcome.written = target;
    }
  }
  for (const outcome of outcomes) if (outcome.written) process.stderr.write(`palisade: wrote ${outcome.written}\n`);

  const results = outcomes.flatMap((o) => o.hardened.results);
  const findings = [...errorFindings([...loadErrors, ...writeErrors]), ...results.flatMap(blockerFindings)];
  const files = outcomes.map(({ hardened, written }) => ({ path: hardened.path, changed: hardened.text !== hardened.original, changes: hardened.results.reduce((n, r) => n + r.changes.length, 0), ...(written ? { written } : {}) }));
  const report = makeReport(paths, findings, { level: options.level, version: options.version, files, results });

  // Built only for the format that prints them: the diff is the costly part of a large run.
  const diff = (): string => outcomes.map(({ hardened }) => unifiedDiff(hardened.path, hardened.original, hardened.text)).join('');
  const yaml = (): string => outcomes.map(({ hardened }) => (hardened.text.endsWith('\n') || hardened.text === '' ? hardened.text : hardened.text + '\n')).join('---\n');
  const extraFormats: ExtraFormats = { diff, yaml };
  if ((format === 'diff' || format === 'yaml') && findings.length > 0) {
    // stdout carries the diff or YAML for a pipe; what could not be fixed goes to stderr.
    for (const f of findings) process.stderr.write(`palisade: ${f.location ? `${f.location.file}:${f.location.line}:${f.location.column}: ` : ''}${f.message}\n`);
  }
  const texts = new Map(inputs.map((i) => [i.path, i.text]));
  // Nothing to harden is never a pass (an empty directory, a failed `helm template |`).
  const read = inputs.filter((i) => i.text.trim() !== '').length;
  const nothingRead = read === 0 ? nothingToCheck(paths, { files: read, unreadable: loadErrors.length, emptyStdin: inputs.some((i) => i.path === '-') }, 'manifest (*.yaml, *.yml, *.json)') : false;
  const code = await emit(report, { format, failOn: flags.failOn, ...(flags.strict ? { strict: true } : {}), ...(flags.color === false ? { color: false } : {}) }, { loadErrors: [...loadErrors, ...writeErrors], nothingRead, sourceLine: sourceLineFrom(texts), extraFormats });
  return writeErrors.length > 0 ? Math.max(code, 2) : code;
}

async function parseOptions(flags: HardenFlags): Promise<HardenOptions> {
  const { parseVersion } = await import('../pss/index.js');
  const version = parseVersion(flags.version);
  if (version === undefined) throw new PalisadeError('USAGE', `--version must be v1.N (N ≥ 0) or latest, got "${flags.version}"`, { errorClass: 'fatal' });
  const uid = /^[0-9]+$/.test(flags.uid) ? Number(flags.uid) : NaN;
  if (!Number.isSafeInteger(uid) || uid <= 0 || uid > 2147483647) throw new PalisadeError('USAGE', `--uid must be a non-zero UID (1 … 2147483647), got "${flags.uid}"`, { errorClass: 'fatal' });
  return { level: flags.level === 'baseline' ? 'baseline' : 'restricted', version, uid };
}

/** Replace a file atomically (temp file + rename), unless it changed since it was read. */
export async function replaceIfUnchanged(path: string, original: string, text: string): Promise<PalisadeError | undefined> {
  const location = { file: path, line: 1, column: 1 };
  let current: string;
  try {
    current = await readFile(path, 'utf8');
  } catch (cause) {
    return new PalisadeError('HARDEN_WRITE_FAILED', `cannot re-read ${path} before writing: ${(cause as Error).message}`, { errorClass: 'fatal', location, cause });
  }
  if (current !== original) return new PalisadeError('HARDEN_FILE_CHANGED', `${path} changed since it was read; not overwritten (run harden again)`, { errorClass: 'fatal', location });
  const temp = join(dirname(path), `.${basename(path)}.palisade-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const { mode } = await stat(path);
    await writeFile(temp, text, { mode, flag: 'wx' });
    await rename(temp, path);
    return undefined;
  } catch (cause) {
    await unlink(temp).catch(() => undefined);
    return new PalisadeError('HARDEN_WRITE_FAILED', `cannot write ${path}: ${(cause as Error).message}`, { errorClass: 'fatal', location, cause });
  }
}

/** The argument a read path came from: itself, or the directory whose walk found it. */
function inputRoot(paths: readonly string[], path: string): string {
  return paths.find((p) => p === path) ?? paths.find((p) => path.startsWith(p.endsWith('/') ? p : `${p}/`)) ?? path;
}

/** Where `-o DIR` puts the copy of an input: its path relative to the working directory, kept inside DIR. */
function copyPath(outDir: string, path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  const inside = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(path).replace(/^([A-Za-z]:)?[\\/]+/, '');
  return join(outDir, inside);
}
