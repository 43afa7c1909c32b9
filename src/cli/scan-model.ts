import type { Command } from 'commander';
import { addOutputOptions, checkInputPaths, emit, errorFindings, makeReport, nothingToCheck, type OutputOptions } from './common.js';

interface ScanModelOptions extends OutputOptions {
  allowGlobal?: string[];
  denyGlobal?: string[];
  policy?: string;
  hash?: boolean;
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
    .option('--no-hash', 'skip the sha256 of each file');
  addOutputOptions(command).action(async (paths: string[], opts: ScanModelOptions) => {
    checkInputPaths(paths);
    const { buildPolicy, scanModelPaths, toFindings } = await import('../scan/model/index.js');
    const file = opts.policy ? await readPolicyFile(opts.policy) : { allow: [], deny: [] };
    const policy = buildPolicy({ allow: [...file.allow, ...(opts.allowGlobal ?? [])], deny: [...file.deny, ...(opts.denyGlobal ?? [])] });
    const result = await scanModelPaths(paths, { policy, hash: opts.hash !== false });
    const findings = [...errorFindings(result.errors), ...result.files.flatMap(toFindings)];
    const report = makeReport(paths, findings, { files: result.files });
    const nothingRead = result.files.length === 0 ? nothingToCheck(paths, { files: 0, unreadable: result.errors.length }, 'file to scan') : false;
    setExit(await emit(report, opts, { loadErrors: result.errors, nothingRead }));
  });
}
