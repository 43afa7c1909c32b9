import type { ByteSource } from '../source.js';
import { DEFAULT_LIMITS, type ScanLimits } from '../policy/limits.js';

/**
 * 7z archives, and bzip2/xz/zstd/rar data, unpacked by 7-Zip itself (the `7z-wasm` build, loaded only
 * when such a file turns up). Nothing is written to disk: 7-Zip works in its in-memory file system.
 * The listing is read first, so a compression bomb is refused before anything is inflated.
 */

export interface SevenZipMember {
  name: string;
  bytes: Uint8Array;
}

export type SevenZipResult =
  /** `stopped`: the output bound or the scan's deadline ended the unpacking; the members are what came out before. */
  | { kind: 'members'; members: SevenZipMember[]; stopped?: { by: 'maxSevenZipOutput' | 'maxInflatedTotal' | 'timeout'; limit: number } }
  /** The listing declares more output than may be unpacked: nothing was decoded. */
  | { kind: 'too-large'; declared: number; by: 'maxSevenZipOutput' | 'maxInflatedTotal'; limit: number }
  | { kind: 'bomb'; name: string; size: number; packed: number }
  | { kind: 'encrypted' }
  /** 7-Zip gave up without saying why (it does so on encrypted headers): fail closed. */
  | { kind: 'unreadable' }
  | { kind: 'malformed'; detail: string };

/** The input file's name inside 7-Zip's file system: the extension tells it what single-stream formats unpack to. */
const INPUT_NAME: Readonly<Record<string, string>> = { '7z': 'in.7z', bzip2: 'in.bz2', xz: 'in.xz', zstd: 'in.zst', rar: 'in.rar', lzma: 'in.lzma' };

interface Listed {
  path: string;
  size: number;
  packed: number;
  folder: boolean;
  encrypted: boolean;
}

/** ENOSPC, as Emscripten's syscalls expect a file system error to look: 7-Zip sees a full disk and stops. */
const NO_SPACE = { name: 'ErrnoError', errno: 28 };

/**
 * `room`: bytes the scan may still inflate (its total budget less what it used); `expired`: the
 * scan's deadline. 7-Zip runs synchronously in WASM, so both are enforced inside its writes: every
 * write to the in-memory file system is counted, and past the output bound (the smaller of
 * maxSevenZipOutput and `room`) or the deadline the write fails with ENOSPC and 7-Zip stops. The
 * declared sizes are checked first, so an honest large archive is refused before any decoding;
 * a lying header or a size-less stream (bzip2) is stopped by the write bound.
 */
export async function unpackWithSevenZip(source: ByteSource, kind: keyof typeof INPUT_NAME | string, limits: ScanLimits = DEFAULT_LIMITS, room: number = limits.maxInflatedTotal, expired: () => boolean = () => false): Promise<SevenZipResult> {
  const factory = await loadFactory();
  const output: string[] = [];
  // stdin at end-of-file: 7-Zip never waits for a password on the terminal.
  const module = await factory({ print: (line: string) => output.push(line), printErr: (line: string) => output.push(line), stdin: () => null as unknown as number });
  const input = `/${INPUT_NAME[kind] ?? 'in.bin'}`;
  module.FS.writeFile(input, source.read(0, source.size));

  const listing = run(module, ['l', '-slt', '-p-', input], output);
  const entries = parseListing(listing.lines, input);
  if (entries.some((e) => e.encrypted)) return { kind: 'encrypted' };
  if (listing.threw && entries.length === 0 && errorLine(listing.lines) === undefined) return { kind: 'unreadable' };
  if (listing.failed && entries.length === 0) return { kind: 'malformed', detail: errorLine(listing.lines) ?? `7-Zip cannot read this ${kind} data` };
  let total = 0;
  for (const entry of entries) {
    if (entry.folder) continue;
    total += entry.size;
    const ratio = entry.packed > 0 ? entry.size / entry.packed : 0;
    if (entry.size > limits.maxInflatedMember || total > room || (entry.size > 1_000_000 && ratio > limits.maxCompressionRatio)) return { kind: 'bomb', name: entry.path, size: entry.size, packed: entry.packed };
  }

  const by = limits.maxSevenZipOutput <= room ? 'maxSevenZipOutput' : 'maxInflatedTotal';
  const bound = Math.min(limits.maxSevenZipOutput, room);
  if (total > bound) return { kind: 'too-large', declared: total, by, limit: bound };

  let written = 0;
  let stopped: { by: 'maxSevenZipOutput' | 'maxInflatedTotal' | 'timeout'; limit: number } | undefined;
  const fs = module.FS as unknown as { write: (...args: unknown[]) => number };
  const write = fs.write.bind(fs);
  fs.write = (stream, buffer, offset, length, ...rest) => {
    if (expired()) stopped ??= { by: 'timeout', limit: 0 };
    else if (written + (length as number) > bound) stopped ??= { by, limit: bound };
    if (stopped) throw NO_SPACE;
    written += length as number;
    return write(stream, buffer, offset, length, ...rest);
  };
  module.FS.mkdir('/out');
  const extraction = run(module, ['x', '-y', '-p-', '-o/out', input], output);
  const members: SevenZipMember[] = [];
  walk(module.FS, '/out', '', members);
  if (stopped) return { kind: 'members', members, stopped };
  if (extraction.failed && members.length === 0) return { kind: 'malformed', detail: errorLine(extraction.lines) ?? `7-Zip cannot unpack this ${kind} data` };
  return { kind: 'members', members };
}

type Factory = import('7z-wasm').SevenZipModuleFactory;
type Module = import('7z-wasm').SevenZipModule;

/** The package is CommonJS: under Node's ESM interop its factory is `default` (and `default.default`). */
async function loadFactory(): Promise<Factory> {
  const imported = (await import('7z-wasm')) as unknown as { default: Factory & { default?: Factory } };
  return imported.default.default ?? imported.default;
}

/** Run one 7-Zip command; `threw` when 7-Zip aborted (a C++ exception surfaces as a thrown number). */
function run(module: Module, args: string[], output: string[]): { lines: string[]; failed: boolean; threw: boolean } {
  output.length = 0;
  let threw = false;
  try {
    module.callMain(args);
  } catch {
    threw = true;
  }
  const lines = [...output];
  return { lines, threw, failed: threw || lines.some((l) => /^(ERROR|Open ERROR|Can't open as archive|Wrong password)/i.test(l.trim())) };
}

/** `7z l -slt` prints one block of `Key = Value` lines per entry, after a `----------` line. */
function parseListing(lines: readonly string[], input: string): Listed[] {
  const start = lines.findIndex((l) => l.startsWith('----------'));
  if (start < 0) return [];
  const entries: Listed[] = [];
  let current: Record<string, string> = {};
  const flush = (): void => {
    if (current.Path !== undefined && current.Path !== input) {
      entries.push({ path: current.Path, size: Number(current.Size ?? 0), packed: Number(current['Packed Size'] ?? 0), folder: current.Folder === '+' || (current.Attributes ?? '').startsWith('D'), encrypted: current.Encrypted === '+' });
    }
    current = {};
  };
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') flush();
    const eq = line.indexOf(' = ');
    if (eq > 0) current[line.slice(0, eq)] = line.slice(eq + 3);
  }
  flush();
  return entries;
}

/** 7-Zip's own words for the failure: "Cannot open the file as [7z] archive", "Unexpected end of archive". */
function errorLine(lines: readonly string[]): string | undefined {
  return lines.map((l) => l.trim()).find((l) => /^(Open ERROR|ERROR:|Unexpected|Data Error|Headers Error|Can't|Cannot)/i.test(l) && !/^ERROR: \/in\./.test(l));
}

function walk(fs: Module['FS'], dir: string, prefix: string, out: SevenZipMember[]): void {
  for (const name of fs.readdir(dir) as string[]) {
    if (name === '.' || name === '..') continue;
    const path = `${dir}/${name}`;
    const member = prefix ? `${prefix}/${name}` : name;
    const mode = fs.stat(path).mode;
    if (fs.isDir(mode)) walk(fs, path, member, out);
    else if (fs.isFile(mode)) out.push({ name: member, bytes: fs.readFile(path) as Uint8Array });
  }
}
