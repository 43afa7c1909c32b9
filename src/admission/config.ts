import { z } from 'zod';
import { configLocation, type Config } from '../core/config.js';
import { PalisadeError } from '../core/errors.js';
import { globMatches } from '../core/exemptions.js';
import { defaultPsaConfiguration, parsePsaConfiguration, type PsaConfiguration } from './psa.js';
import type { PolicyMode } from './types.js';

/**
 * `admission:` in .palisade.yaml: how `palisade serve` turns findings into decisions. Pod Security
 * itself follows the namespace labels exactly as PSA does; this section sets PSA's defaults and
 * exemptions (the PodSecurityConfiguration shape) and the mode of every posture check.
 */

export type CheckMode = PolicyMode | 'off';
const Mode = z.enum(['enforce', 'warn', 'audit', 'off']);
const ModeTable = z.record(z.string().min(1).describe('a check id, or a glob such as ML_* or *'), Mode);

export const AdmissionConfigSchema = z.strictObject({
  /** A PodSecurityConfiguration (defaults, exemptions), as the API server's AdmissionConfiguration holds it. */
  podSecurity: z.record(z.string(), z.unknown()).optional(),
  /** Deny controllers and CRDs whose pods the enforce level would deny (PSA only warns for them). */
  enforceTemplates: z.boolean().default(false),
  /** Mode per posture check id or glob; the most specific key wins (an exact id, then the longest glob). */
  checks: ModeTable.default({}),
  /** Per-namespace modes (keys are namespace names or globs), over `checks`. */
  namespaces: z.record(z.string().min(1), z.strictObject({ checks: ModeTable.default({}) })).default({}),
  images: z
    .strictObject({
      /** Registries or registry/path prefixes (globs) images may come from; sets IMAGE_REGISTRY_NOT_ALLOWED's params and enforces it. */
      allowedRegistries: z.array(z.string().min(1)).default([]),
      /** Deny images without @sha256 digest (IMAGE_NOT_PINNED_BY_DIGEST in enforce mode); /mutate pins them first. */
      requireDigest: z.boolean().default(false),
      /** /mutate rewrites tags to repo:tag@sha256:… after asking the registry. */
      pin: z.boolean().default(true),
    })
    .default({ allowedRegistries: [], requireDigest: false, pin: true }),
  /** What an unfinished lookup, a failed registry call or a crashing check decides. */
  failurePolicy: z.enum(['fail-closed', 'fail-open']).default('fail-closed'),
  /** The webhook's timeoutSeconds when the request does not say (?timeout=Ns); answers come 1 s before. */
  timeoutSeconds: z.number().int().min(1).max(30).default(10),
  /** Image verifiers' settings (signatures, attestations), validated by each verifier (src/admission/verifiers.ts). */
  verify: z.record(z.string(), z.unknown()).default({}),
  /** How long tag → digest answers and verifier verdicts are reused. */
  cacheTtlSeconds: z.number().int().min(0).default(300),
});

export type AdmissionConfig = z.infer<typeof AdmissionConfigSchema>;

export interface AdmissionSettings extends AdmissionConfig {
  psa: PsaConfiguration;
}

/** Label on a Namespace that sets check modes for it: `palisade.dev/enforce: RAY_*,JUPYTER_WITHOUT_AUTH`. */
export const NAMESPACE_MODE_LABEL = 'palisade.dev/';
const MODES: readonly PolicyMode[] = ['enforce', 'warn', 'audit'];

/** Validate the `admission:` section (unknown in core config); errors name file:line:column. */
export function admissionSettings(config: Config | undefined, psaFile?: { path: string; value: unknown }): AdmissionSettings {
  const raw = (config as (Config & { admission?: unknown }) | undefined)?.admission ?? {};
  const parsed = AdmissionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = ['admission', ...(issue.path as Array<string | number>)];
    const location = config ? configLocation(config, path) : undefined;
    throw new PalisadeError('CONFIG_INVALID', `config field ${path.join('.')}: ${issue.message}`, { errorClass: 'fatal', ...(location ? { location } : {}) });
  }
  let psa = defaultPsaConfiguration();
  try {
    if (psaFile) psa = parsePsaConfiguration(psaFile.value, psaFile.path);
    else if (parsed.data.podSecurity) psa = parsePsaConfiguration(parsed.data.podSecurity, 'admission.podSecurity');
  } catch (error) {
    const location = !psaFile && config ? configLocation(config, ['admission', 'podSecurity']) : undefined;
    throw new PalisadeError('CONFIG_INVALID', (error as Error).message, { errorClass: 'fatal', ...(location ? { location } : {}) });
  }
  return { ...parsed.data, psa };
}

/** The mode a table gives a check: an exact key first, then the longest matching glob. */
function lookup(table: Readonly<Record<string, CheckMode>>, id: string): CheckMode | undefined {
  if (Object.prototype.hasOwnProperty.call(table, id)) return table[id];
  let best: { length: number; mode: CheckMode } | undefined;
  for (const [pattern, mode] of Object.entries(table)) {
    if ((pattern.includes('*') || pattern.includes('?')) && globMatches(pattern, id) && (!best || pattern.length > best.length)) best = { length: pattern.length, mode };
  }
  return best?.mode;
}

/** Check ids named by a namespace's palisade.dev/<mode> labels (comma lists, globs). */
function labelMode(labels: Readonly<Record<string, string>>, id: string): CheckMode | undefined {
  for (const mode of MODES) {
    const value = labels[NAMESPACE_MODE_LABEL + mode];
    if (value === undefined) continue;
    if (value.split(',').some((p) => p.trim() !== '' && globMatches(p.trim(), id))) return mode;
  }
  const off = labels[NAMESPACE_MODE_LABEL + 'off'];
  if (off !== undefined && off.split(',').some((p) => p.trim() !== '' && globMatches(p.trim(), id))) return 'off';
  return undefined;
}

/**
 * A check's mode in a namespace: the namespace's labels, then `namespaces:` entries (exact name,
 * then globs), then `checks:`, then the image settings, then audit (recorded, never shown).
 */
export function checkMode(settings: AdmissionSettings, namespace: string, labels: Readonly<Record<string, string>>, id: string): CheckMode {
  const fromLabel = labelMode(labels, id);
  if (fromLabel) return fromLabel;
  const exact = settings.namespaces[namespace];
  const fromNamespace = exact ? lookup(exact.checks, id) : undefined;
  if (fromNamespace) return fromNamespace;
  for (const [pattern, entry] of Object.entries(settings.namespaces)) {
    if (pattern !== namespace && globMatches(pattern, namespace)) {
      const mode = lookup(entry.checks, id);
      if (mode) return mode;
    }
  }
  const global = lookup(settings.checks, id);
  if (global) return global;
  if (id === 'IMAGE_REGISTRY_NOT_ALLOWED' && settings.images.allowedRegistries.length > 0) return 'enforce';
  if (id === 'IMAGE_NOT_PINNED_BY_DIGEST' && settings.images.requireDigest) return 'enforce';
  return 'audit';
}

/** A check's mode from the cluster-wide settings only (`checks:`, then the image settings); undefined when nothing sets it. */
export function globalCheckMode(settings: AdmissionSettings, id: string): CheckMode | undefined {
  const global = lookup(settings.checks, id);
  if (global) return global;
  if (id === 'IMAGE_REGISTRY_NOT_ALLOWED' && settings.images.allowedRegistries.length > 0) return 'enforce';
  if (id === 'IMAGE_NOT_PINNED_BY_DIGEST' && settings.images.requireDigest) return 'enforce';
  return undefined;
}

/** The palisade config the checks run with: the admission image settings folded into check params. */
export function checksConfig(config: Config, settings: AdmissionSettings): Config {
  if (settings.images.allowedRegistries.length === 0) return config;
  const current = config.checks.IMAGE_REGISTRY_NOT_ALLOWED;
  const base = typeof current === 'object' ? current : current === false ? { enabled: false } : {};
  const params = { ...(base.params ?? {}), allowedRegistries: settings.images.allowedRegistries };
  return { ...config, checks: { ...config.checks, IMAGE_REGISTRY_NOT_ALLOWED: { ...base, params } } };
}
