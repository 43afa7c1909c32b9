import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { PalisadeError } from './errors.js';

/**
 * `.palisade.yaml`: what users tune without touching code. Validated when it loads; a bad entry is a
 * CONFIG_INVALID error naming the file, line and field (exit 2), never a silent default.
 */

const pointer = z.string().regex(/^(\/[^/]*)*$/, 'a JSON pointer such as /spec/template/spec (use * for any index or key)');

export const WorkloadRowSchema = z.strictObject({
  apiVersion: z.string().min(1).describe('group/version of the kind; only the group is matched'),
  kind: z.string().min(1),
  podSpecs: z.array(z.union([pointer, z.strictObject({ podSpec: pointer, metadata: pointer.optional(), containerObjects: z.array(z.string().min(1)).optional() })])).min(1),
});

export const ConfigSchema = z.strictObject({
  /** Extra rows for the workloads table: CRDs that hold pod specs. */
  workloads: z.array(WorkloadRowSchema).default([]),
  /** Per-check settings for later modules (params, disabled checks); validated by their owners. */
  checks: z.record(z.string(), z.unknown()).default({}),
  exemptions: z.array(z.unknown()).default([]),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG_FILE = '.palisade.yaml';

export function emptyConfig(): Config {
  return ConfigSchema.parse({});
}

/** Parse config text; errors name file:line:column of the offending field. */
export function parseConfig(path: string, text: string): Config {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number): { file: string; line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { file: path, line, column: col };
  };
  const syntax = document.errors[0];
  if (syntax) throw new PalisadeError('CONFIG_INVALID', `config is not valid YAML: ${syntax.message.split('\n')[0]}`, { errorClass: 'fatal', location: at(syntax.pos[0]) });
  const parsed = ConfigSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const node = document.getIn(issue.path as Array<string | number>, true) as { range?: [number, number, number] } | undefined;
    const field = issue.path.join('.') || '(top level)';
    throw new PalisadeError('CONFIG_INVALID', `config field ${field}: ${issue.message}`, { errorClass: 'fatal', location: at(node?.range?.[0] ?? 0) });
  }
  return parsed.data;
}

/** Read a config file; without an explicit path, `.palisade.yaml` in the working directory if present. */
export async function loadConfig(path?: string): Promise<Config> {
  const file = path ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    if (path === undefined && (cause as NodeJS.ErrnoException).code === 'ENOENT') return emptyConfig();
    throw new PalisadeError('CONFIG_NOT_FOUND', `cannot read config ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
  }
  return parseConfig(file, text);
}
