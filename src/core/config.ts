import { readFile, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { PalisadeError } from './errors.js';
import { SEVERITIES, type Location } from './types.js';

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

export const CheckSettingSchema = z.union([
  z.boolean(),
  z.strictObject({
    enabled: z.boolean().optional(),
    severity: z.enum(SEVERITIES).optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  }),
]);
export type CheckSetting = z.infer<typeof CheckSettingSchema>;

const glob = z.string().min(1).describe('a glob: * matches any run of characters, ? one character');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date such as 2026-12-31').refine((d) => !Number.isNaN(Date.parse(d)), 'a real calendar date');

/** `exemptions:` entries: which check, on which resources, why, and until when. */
export const ConfigExemptionSchema = z.strictObject({
  check: glob.describe('a check id, or a glob such as PSS_* or *'),
  match: z.strictObject({ namespace: glob.optional(), kind: glob.optional(), name: glob.optional() }).default({}),
  reason: z.string().trim().min(1, 'say why (reviewers read this)'),
  expires: isoDate.optional(),
});
export type ConfigExemption = z.infer<typeof ConfigExemptionSchema>;

/** The PSS policy for pods whose namespace carries no pod-security.kubernetes.io labels. */
export const PssDefaultsSchema = z.strictObject({
  level: z.enum(['privileged', 'baseline', 'restricted']).optional(),
  version: z.string().regex(/^(v1\.(0|[1-9]\d*)|latest)$/, 'v1.N or latest').optional(),
});

/** One image policy of `images.policies`: which images (policy-controller globs), who must have signed, what must be attested. */
const ImageIdentitySchema = z.strictObject({ subject: z.string().min(1).optional(), subjectRegExp: z.string().min(1).optional(), issuer: z.string().min(1).optional(), issuerRegExp: z.string().min(1).optional() });
export const ImagePolicySchema = z.strictObject({
  name: z.string().min(1),
  images: z.array(z.string().min(1)).min(1).describe('policy-controller globs: * within a path segment, ** across them'),
  mode: z.enum(['enforce', 'warn']).default('enforce'),
  /** PEM public key files, relative to the config file. */
  keys: z.array(z.string().min(1)).default([]),
  keyless: z.array(ImageIdentitySchema).default([]),
  signatureFormat: z.enum(['legacy', 'bundle', 'any']).default('any'),
  attestations: z.array(z.strictObject({ name: z.string().min(1).optional(), predicateType: z.string().min(1) })).default([]),
  scan: z.strictObject({ maxAge: z.string().regex(/^\d+(\.\d+)?(d|h|m|s)$/, 'a duration such as 7d or 168h'), maxSeverity: z.enum(SEVERITIES) }).optional(),
});
/** `images:` — `palisade verify` and the webhook's image policy. */
export const ImagesConfigSchema = z.strictObject({
  /** trusted_root.json (relative to the config file); `palisade verify update-root` refreshes it. */
  trustedRoot: z.string().min(1).optional(),
  insecureIgnoreTlog: z.boolean().default(false),
  /** Files of sigstore policy-controller ClusterImagePolicy objects, read as they are. */
  clusterImagePolicies: z.array(z.string().min(1)).default([]),
  /** Images no policy matches: policy-controller's no-match-policy (deny, as there). */
  noMatch: z.enum(['deny', 'allow', 'warn']).default('deny'),
  policies: z.array(ImagePolicySchema).default([]),
});
export type ImagesConfig = z.infer<typeof ImagesConfigSchema>;

export const ConfigSchema = z.strictObject({
  /** Exit 1 when a finding is at or above this severity; --fail-on wins. */
  failOn: z.enum([...SEVERITIES, 'none']).optional(),
  /** Level and version where no namespace label decides (like PSA's AdmissionConfiguration defaults); --level/--version win. */
  pss: PssDefaultsSchema.default({}),
  /** Extra rows for the workloads table: CRDs that hold pod specs. */
  workloads: z.array(WorkloadRowSchema).default([]),
  /**
   * Per check: `false` disables it, or `{enabled, severity, params}`. Check ids and params are
   * validated against the checks' own schemas when the audit starts (src/audit/settings.ts).
   */
  checks: z.record(z.string(), CheckSettingSchema).default({}),
  exemptions: z.array(ConfigExemptionSchema).default([]),
  /** `palisade serve`: validated by src/admission/config.ts (AdmissionConfigSchema). */
  admission: z.unknown().optional(),
  /** Image signature and attestation policy (palisade verify, palisade serve). */
  images: ImagesConfigSchema.optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG_FILE = '.palisade.yaml';

export function emptyConfig(): Config {
  return ConfigSchema.parse({});
}

/** Where each config was read from, so later validation (check params) can name file:line:column. */
const locators = new WeakMap<Config, (path: ReadonlyArray<string | number>) => Location>();

/** The position of a field of a parsed config (its nearest existing parent), when it came from a file. */
export function configLocation(config: Config, path: ReadonlyArray<string | number>): Location | undefined {
  return locators.get(config)?.(path);
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
  locators.set(parsed.data, (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = document.getIn(path.slice(0, depth) as Array<string | number>, true) as { range?: [number, number, number] } | undefined;
      if (node?.range) return at(node.range[0]);
    }
    return at(0);
  });
  return parsed.data;
}

/**
 * Read a config file. Without an explicit path, the nearest `.palisade.yaml` found upward from the
 * first input path (the working directory for stdin), as ESLint and Prettier find theirs. Relative
 * paths are read from `cwd`, which the caller passes (the CLI passes its working directory).
 */
export async function loadConfig(path: string | undefined, inputs: readonly string[], cwd: string): Promise<Config> {
  const file = path ?? (await findConfig(inputs, cwd));
  if (file === undefined) return emptyConfig();
  let text: string;
  try {
    text = await readFile(resolve(cwd, file), 'utf8');
  } catch (cause) {
    throw new PalisadeError('CONFIG_NOT_FOUND', `cannot read config ${file}: ${(cause as Error).message}`, { errorClass: 'fatal', cause });
  }
  return parseConfig(file, text);
}

/**
 * The nearest `.palisade.yaml` at or above the first input (a file's folder, or the folder itself),
 * named relative to `cwd` when it is below it.
 */
export async function findConfig(inputs: readonly string[], cwd: string): Promise<string | undefined> {
  const first = inputs.find((input) => input !== '-');
  let dir = resolve(cwd, first ?? '.');
  try {
    if (!(await stat(dir)).isDirectory()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    const candidate = join(dir, DEFAULT_CONFIG_FILE);
    try {
      if ((await stat(candidate)).isFile()) return relativeIfInside(cwd, candidate);
    } catch {
      // not here; look one folder up
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Name the config as the user would: relative to the working directory when it is below it. */
function relativeIfInside(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}
