import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_LIMITS, type ScanLimits } from '../scan/model/policy/index.js';
import { addOutputOptions, checkInputPaths, emit, errorFindings, makeReport, nothingToCheck, type OutputOptions } from './common.js';

interface ScanModelOptions extends OutputOptions {
  allowGlobal?: string[];
  denyGlobal?: string[];
  policy?: string;
  hash?: boolean;
  timeout?: number;
  [limit: string]: unknown;
}

/**
 * The scan's limits (ScanLimits) as flags, with their defaults in the help: `maxInflatedMember`
 * becomes `--max-inflated-member` (every limit has one: a test checks). Byte sizes take K, M, G suffixes (powers of 1024).
 */
export const LIMIT_FLAGS: ReadonlyArray<{ name: keyof ScanLimits; flag: string; bytes: boolean; help: string }> = [
  { name: 'maxInflatedMember', flag: '--max-inflated-member', bytes: true, help: 'largest archive member or compressed stream inflated' },
  { name: 'maxInflatedTotal', flag: '--max-inflated-total', bytes: true, help: 'bytes inflated while scanning one file, all levels together' },
  { name: 'maxCompressionRatio', flag: '--max-compression-ratio', bytes: false, help: 'largest inflate ratio believed for a member over 1 MB' },
  { name: 'maxInMemory', flag: '--max-in-memory', bytes: true, help: 'largest file handed whole to an in-memory parser (HDF5, ONNX, TensorFlow, compressed streams)' },
  { name: 'maxSevenZipInput', flag: '--max-seven-zip-input', bytes: true, help: 'largest 7z/bzip2/xz/zstd/rar input unpacked' },
  { name: 'maxSevenZipOutput', flag: '--max-seven-zip-output', bytes: true, help: 'bytes unpacked from one 7z/bzip2/xz/zstd/rar file (declared sizes checked first, writes stopped past it)' },
  { name: 'maxOpcodes', flag: '--max-opcodes', bytes: false, help: 'pickle opcodes executed while scanning one file' },
];

function human(n: number, bytes: boolean): string {
  if (!bytes) return String(n);
  for (const [unit, size] of [['G', 1024 ** 3], ['M', 1024 ** 2], ['K', 1024]] as const) if (n % size === 0) return `${n / size}${unit}`;
  return String(n);
}

/** `512M`, `1G`, `4096` (bytes) or a plain count. */
export function parseLimit(flag: string, bytes: boolean): (value: string) => number {
  return (value: string) => {
    const m = /^(\d+)\s*([kmg]?)(i?b)?$/i.exec(value.trim());
    const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m?.[2] ?? '').toLowerCase()] ?? 1;
    const n = m ? Number(m[1]) * unit : Number.NaN;
    if (!m || (!bytes && unit !== 1) || !Number.isSafeInteger(n) || n <= 0) {
      throw new InvalidArgumentError(`${flag} expects a positive ${bytes ? 'size (bytes, or with K/M/G)' : 'integer'}, got "${value}"`);
    }
    return n;
  };
}

/** A policy file: `{"allow": ["module:name", …], "deny": [...]}`, added to the built-in lists. */
async function readPolicyFile(path: string): Promise<{ allow: string[]; deny: string[] }> {
  const { readFile } = await import('node:fs/promises');
  const { z } = await import('zod');
  const { PalisadeError } = await import('../core/errors.js');
  const schema = z.object({ allow: z.array(z.string()).default([]), deny: z.array(z.string()).default([]) }).strict();
  let parsed;
  try {
    parsed = schema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  } catch (error) {
    throw new PalisadeError('CONFIG_INVALID', `${path}: ${(error as Error).message}`, { errorClass: 'fatal', cause: error });
  }
  if (!parsed.success) throw new PalisadeError('CONFIG_INVALID', `${path}: expected {"allow": ["module:name"], "deny": [...]}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`, { errorClass: 'fatal' });
  return parsed.data;
}

/** `--timeout`: seconds (`90`, `90s`) or minutes (`5m`), in milliseconds. */
export function parseTimeout(value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m)?$/i.exec(value.trim());
  const ms = m ? Number(m[1]) * ((m[2] ?? 's').toLowerCase() === 'm' ? 60_000 : 1000) : Number.NaN;
  if (!m || !(ms > 0) || !Number.isFinite(ms)) throw new InvalidArgumentError(`--timeout expects a positive duration in seconds (90, 90s) or minutes (5m), got "${value}"`);
  return ms;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `palisade scan model <paths…>`: judge model files without loading them. */
export function registerScanModel(scan: Command, setExit: (code: number) => void): void {
  const command = scan
    .command('model')
    .description('judge model files (pickle, PyTorch, NumPy, joblib, safetensors, GGUF, Keras, ONNX, TensorFlow, archives) without loading them')
    .argument('<paths...>', 'model files, or directories to scan recursively')
    .option('--allow-global <module:name>', 'also allow this pickle global (repeatable; name may be * or end in *; the deny-list still wins)', collect)
    .option('--deny-global <module:name>', 'also deny this pickle global (repeatable)', collect)
    .option('--policy <file>', 'JSON file {"allow": [...], "deny": [...]} of module:name entries added to the lists')
    .option('--no-hash', 'skip the sha256 of each file')
    .option('--timeout <duration>', 'wall-clock bound on the whole scan (90, 90s, 5m); what it leaves unread gets SCAN_LIMIT_REACHED (suspicious). Default: none', parseTimeout);
  for (const l of LIMIT_FLAGS) command.option(`${l.flag} <${l.bytes ? 'size' : 'n'}>`, `${l.help} (default ${human(DEFAULT_LIMITS[l.name], l.bytes)})`, parseLimit(l.flag, l.bytes));
  addOutputOptions(command).action(async (paths: string[], opts: ScanModelOptions) => {
    checkInputPaths(paths);
    const { buildPolicy, deadlineAfter, scanModelPaths, toFindings } = await import('../scan/model/index.js');
    // The clock starts before the first file is read.
    const deadline = opts.timeout ? deadlineAfter(opts.timeout, () => performance.now()) : undefined;
    const file = opts.policy ? await readPolicyFile(opts.policy) : { allow: [], deny: [] };
    const policy = buildPolicy({ allow: [...file.allow, ...(opts.allowGlobal ?? [])], deny: [...file.deny, ...(opts.denyGlobal ?? [])] });
    const limits = Object.fromEntries(LIMIT_FLAGS.filter((l) => typeof opts[l.name] === 'number').map((l) => [l.name, opts[l.name] as number]));
    const result = await scanModelPaths(paths, { policy, hash: opts.hash !== false, limits, ...(deadline ? { deadline } : {}) });
    const findings = [...errorFindings(result.errors), ...result.files.flatMap(toFindings)];
    const report = makeReport(paths, findings, { files: result.files });
    const nothingRead = result.files.length === 0 ? nothingToCheck(paths, { files: 0, unreadable: result.errors.length }, 'file to scan') : false;
    setExit(await emit(report, opts, { loadErrors: result.errors, nothingRead }));
  });
}
