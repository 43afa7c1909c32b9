import { parseLevel, parseVersion, podEvaluator, type Level, type PssEvaluation } from '../pss/index.js';
import type { Status } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * Pod Security Admission, as kubernetes/pod-security-admission admission/admission.go and
 * api/helpers.go decide it: namespace labels over configured defaults (each label on its own),
 * exemptions by namespace, username and runtimeClass, enforce for Pods only, warn and audit for
 * Pods and their controllers, and upstream's messages and audit annotation keys word for word.
 */

export interface LevelVersion {
  level: Level;
  /** `latest` or `v1.<minor>`, as written (messages print it this way). */
  version: string;
}

export interface PsaPolicy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

/** PodSecurityConfiguration (pod-security.admission.config.k8s.io/v1): defaults and exemptions. */
export interface PsaConfiguration {
  defaults: PsaPolicy;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
}

export const PRIVILEGED_LATEST: LevelVersion = { level: 'privileged', version: 'latest' };

export function defaultPsaConfiguration(): PsaConfiguration {
  return { defaults: { enforce: PRIVILEGED_LATEST, audit: PRIVILEGED_LATEST, warn: PRIVILEGED_LATEST }, exemptions: { usernames: [], runtimeClasses: [], namespaces: [] } };
}

export const PSA_LABEL = 'pod-security.kubernetes.io/';
const MODES = ['enforce', 'audit', 'warn'] as const;

/** upstream api.ParseLevel's error text (validLevels order). */
const LEVEL_ERROR = 'must be one of privileged, baseline, restricted';
const VERSION_ERROR = 'must be "latest" or "v1.x"';

/**
 * upstream api.PolicyToEvaluate: each label overrides its default; an unparsable enforce level is
 * restricted (fail closed), unparsable audit and warn levels are privileged (fail open), an
 * unparsable version is latest. Errors are field.Invalid strings.
 */
export function policyToEvaluate(labels: Readonly<Record<string, string>> | undefined, defaults: PsaPolicy): { policy: PsaPolicy; errors: string[] } {
  const policy: PsaPolicy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: string[] = [];
  if (!labels) return { policy, errors };
  const invalid = (label: string, value: string, detail: string): void => {
    errors.push(`metadata.labels[${label}]: Invalid value: ${JSON.stringify(value)}: ${detail}`);
  };
  for (const mode of MODES) {
    const levelLabel = PSA_LABEL + mode;
    const level = labels[levelLabel];
    if (level !== undefined) {
      const parsed = parseLevel(level);
      if (parsed) policy[mode].level = parsed;
      else {
        invalid(levelLabel, level, LEVEL_ERROR);
        policy[mode].level = mode === 'enforce' ? 'restricted' : 'privileged';
      }
    }
    const versionLabel = `${PSA_LABEL}${mode}-version`;
    const version = labels[versionLabel];
    if (version !== undefined) {
      const parsed = parseVersion(version);
      if (parsed) policy[mode].version = parsed;
      else {
        invalid(versionLabel, version, VERSION_ERROR);
        policy[mode].version = 'latest';
      }
    }
  }
  return { policy, errors };
}

/** field.ErrorList.ToAggregate().Error(): one message alone, several in brackets. */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

export const policyString = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const annotationsOf = (meta: unknown): Record<string, unknown> => (isPlainObject(meta) && isPlainObject(meta.annotations) ? meta.annotations : {});

const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER = 'container.seccomp.security.alpha.kubernetes.io/';

/** upstream isSignificantPodUpdate: images, container counts, seccomp annotations, new ephemeral containers. */
export function isSignificantPodUpdate(meta: unknown, spec: unknown, oldMeta: unknown, oldSpec: unknown): boolean {
  const ann = annotationsOf(meta);
  const oldAnn = annotationsOf(oldMeta);
  if (ann[SECCOMP_POD] !== oldAnn[SECCOMP_POD]) return true;
  const s = isPlainObject(spec) ? spec : {};
  const o = isPlainObject(oldSpec) ? oldSpec : {};
  const significant = (c: Obj, old: Obj): boolean => {
    if (c.image !== old.image) return true;
    const key = SECCOMP_CONTAINER + String(c.name ?? '');
    return ann[key] !== oldAnn[key];
  };
  for (const field of ['containers', 'initContainers']) {
    const now = list(s[field]);
    const before = list(o[field]);
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) if (significant(now[i]!, before[i]!)) return true;
  }
  const oldEphemeral = list(o.ephemeralContainers);
  for (const c of list(s.ephemeralContainers)) {
    const old = oldEphemeral.find((oc) => oc.name === c.name);
    if (!old || significant(c, old)) return true;
  }
  return false;
}

/** upstream ignoredPodSubresources: any other pods subresource is a Pod and is evaluated (fail safe). */
export const IGNORED_POD_SUBRESOURCES = new Set(['exec', 'attach', 'binding', 'eviction', 'log', 'portforward', 'proxy', 'status']);

/** What PSA adds to a response. `exempt` short-circuits everything else palisade decides about PSS. */
export interface PsaOutcome {
  allowed: boolean;
  status?: Status;
  warnings: string[];
  auditAnnotations: Record<string, string>;
}

export interface PsaPodSpec {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: unknown;
  /** Set when an object holds several pod specs (custom resources), to say which one a warning is about. */
  label?: string;
}

const ALLOWED = (): PsaOutcome => ({ allowed: true, warnings: [], auditAnnotations: {} });

/** The exemption PSA applies before looking at the namespace (namespace, then user). */
export function psaExemption(config: PsaConfiguration, namespace: string, username: string): 'namespace' | 'user' | undefined {
  if (namespace !== '' && config.exemptions.namespaces.includes(namespace)) return 'namespace';
  if (username !== '' && config.exemptions.usernames.includes(username)) return 'user';
  return undefined;
}

export const exemptOutcome = (reason: 'namespace' | 'user' | 'runtimeClass'): PsaOutcome => ({ allowed: true, warnings: [], auditAnnotations: { exempt: reason } });

function runtimeClassOf(spec: unknown): string | undefined {
  return isPlainObject(spec) && typeof spec.runtimeClassName === 'string' && spec.runtimeClassName !== '' ? spec.runtimeClassName : undefined;
}

/**
 * upstream AggregateCheckResults(...).ForbiddenDetail(), cached per level+version like EvaluatePod
 * does; the pod is decoded once and each check runs once across enforce, audit and warn.
 */
function detailsOf(pod: PsaPodSpec): (lv: LevelVersion) => string | null {
  const cache = new Map<string, string | null>();
  let evaluate: ((policy: LevelVersion) => PssEvaluation) | undefined;
  return (lv) => {
    const key = policyString(lv);
    let detail = cache.get(key);
    if (detail === undefined) {
      evaluate ??= podEvaluator(pod.metadata, pod.spec);
      const evaluation = evaluate(lv);
      detail = evaluation.allowed ? null : evaluation.violations.map(({ reason, detail: d }) => (d ? `${reason} (${d})` : reason)).join(', ');
      cache.set(key, detail);
    }
    return detail;
  };
}

/**
 * upstream EvaluatePod over one or more pod specs of one object. `enforce` is true for Pods (and,
 * with --enforce-templates, for controllers): a denial is 403 Forbidden with upstream's message.
 */
export function evaluatePods(pods: readonly PsaPodSpec[], policy: PsaPolicy, policyErrors: readonly string[], config: PsaConfiguration, enforce: boolean, subject = 'pod'): PsaOutcome {
  const outcome = ALLOWED();
  const judged = pods.filter((pod) => {
    const runtimeClass = runtimeClassOf(pod.spec);
    return runtimeClass === undefined || !config.exemptions.runtimeClasses.includes(runtimeClass);
  });
  if (judged.length === 0 && pods.length > 0) return exemptOutcome('runtimeClass');
  if (policyErrors.length > 0) outcome.auditAnnotations.error = `Failed to parse policy: ${aggregate(policyErrors)}`;
  const prefix = (pod: PsaPodSpec): string => (pods.length > 1 && pod.label ? `${pod.label}: ` : '');
  const denials: string[] = [];
  const audits: string[] = [];
  const warnings: string[] = [];
  for (const pod of judged) {
    const detailFor = detailsOf(pod);
    if (enforce) {
      const detail = detailFor(policy.enforce);
      if (detail !== null) denials.push(`${prefix(pod)}${subject} violates PodSecurity ${JSON.stringify(policyString(policy.enforce))}: ${detail}`);
    }
    const audit = detailFor(policy.audit);
    if (audit !== null) audits.push(`${prefix(pod)}would violate PodSecurity ${JSON.stringify(policyString(policy.audit))}: ${audit}`);
    const warn = detailFor(policy.warn);
    if (warn !== null) warnings.push(`${prefix(pod)}would violate PodSecurity ${JSON.stringify(policyString(policy.warn))}: ${warn}`);
  }
  if (enforce) outcome.auditAnnotations['enforce-policy'] = policyString(policy.enforce);
  if (audits.length > 0) outcome.auditAnnotations['audit-violations'] = audits.join('; ');
  if (denials.length > 0) {
    outcome.allowed = false;
    outcome.status = { status: 'Failure', reason: 'Forbidden', message: denials.join('; '), code: 403 };
  } else {
    // upstream: no warnings on a request that is already rejected.
    outcome.warnings.push(...warnings);
  }
  return outcome;
}

/** Read a PodSecurityConfiguration, bare or inside an AdmissionConfiguration's PodSecurity plugin. */
export function parsePsaConfiguration(value: unknown, where: string): PsaConfiguration {
  let configuration = value;
  if (isPlainObject(value) && value.kind === 'AdmissionConfiguration') {
    const plugin = list(value.plugins).find((p) => p.name === 'PodSecurity');
    if (!plugin) throw new Error(`${where}: the AdmissionConfiguration has no PodSecurity plugin`);
    if (!isPlainObject(plugin.configuration)) throw new Error(`${where}: the PodSecurity plugin has no inline configuration (a path is not supported; inline it)`);
    configuration = plugin.configuration;
  }
  if (!isPlainObject(configuration)) throw new Error(`${where}: expected a PodSecurityConfiguration object`);
  if (configuration.kind !== undefined && configuration.kind !== 'PodSecurityConfiguration') throw new Error(`${where}: kind must be PodSecurityConfiguration or AdmissionConfiguration, got ${String(configuration.kind)}`);
  const result = defaultPsaConfiguration();
  const defaults = isPlainObject(configuration.defaults) ? configuration.defaults : {};
  for (const mode of MODES) {
    const level = defaults[mode];
    const version = defaults[`${mode}-version`];
    if (level !== undefined) {
      const parsed = typeof level === 'string' ? parseLevel(level) : undefined;
      if (!parsed) throw new Error(`${where}: defaults.${mode}: ${LEVEL_ERROR}`);
      result.defaults[mode] = { ...result.defaults[mode], level: parsed };
    }
    if (version !== undefined) {
      const parsed = typeof version === 'string' ? parseVersion(version) : undefined;
      if (!parsed) throw new Error(`${where}: defaults.${mode}-version: ${VERSION_ERROR}`);
      result.defaults[mode] = { ...result.defaults[mode], version: parsed };
    }
  }
  const exemptions = isPlainObject(configuration.exemptions) ? configuration.exemptions : {};
  for (const key of ['usernames', 'runtimeClasses', 'namespaces'] as const) {
    const values = exemptions[key];
    if (values === undefined || values === null) continue;
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string' || v === '')) throw new Error(`${where}: exemptions.${key} must be a list of non-empty strings`);
    result.exemptions[key] = [...(values as string[])];
  }
  return result;
}
