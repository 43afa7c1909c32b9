import { parseLevel, parseVersion, podEvaluator, type Level, type PssEvaluation } from '../pss/index.js';
import type { Status } from './types.js';
import { isPlainObject } from '../core/object.js';

/**
 * Pod Security Admission, as kubernetes/pod-security-admission admission/admission.go,
 * response.go and api/helpers.go decide it: namespace labels over configured defaults (each label
 * on its own, warn defaulted to a stricter enforce), exemptions by namespace, username and
 * runtimeClass, enforce for Pods only, warn and audit for Pods and their controllers, Namespace
 * label validation, and upstream's statuses (Forbidden, Invalid, InternalError, BadRequest),
 * messages and audit annotation keys word for word. docs/serve.md lists each case.
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
export function policyToEvaluate(labels: Readonly<Record<string, string>> | undefined, defaults: PsaPolicy): { policy: PsaPolicy; errors: string[]; causes: FieldCause[] } {
  const policy: PsaPolicy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: string[] = [];
  const causes: FieldCause[] = [];
  if (!labels) return { policy, errors, causes };
  const invalid = (label: string, value: string, detail: string): void => {
    const cause = { reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: ${detail}`, field: `metadata.labels[${label}]` };
    causes.push(cause);
    errors.push(`${cause.field}: ${cause.message}`);
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
  // upstream: with no warn label, a valid enforce label stricter than warn's level also warns
  // (at enforce's version unless warn-version is set), so `kubectl apply` of a Deployment shows
  // what its pods will be refused for.
  const enforceLevelSet = labels[`${PSA_LABEL}enforce`] !== undefined && parseLevel(labels[`${PSA_LABEL}enforce`]!) !== undefined;
  if (labels[`${PSA_LABEL}warn`] === undefined && enforceLevelSet && compareLevels(policy.enforce.level, policy.warn.level) > 0) {
    policy.warn.level = policy.enforce.level;
    if (labels[`${PSA_LABEL}warn-version`] === undefined) policy.warn.version = policy.enforce.version;
  }
  return { policy, errors, causes };
}

const STRICTNESS: Readonly<Record<Level, number>> = { privileged: 0, baseline: 1, restricted: 2 };

/** upstream api.CompareLevels: > 0 when `a` is stricter than `b`. */
export const compareLevels = (a: Level, b: Level): number => Math.sign(STRICTNESS[a] - STRICTNESS[b]);

/** upstream LevelVersion.Equivalent: both privileged (any version), or the same level and version. */
export const equivalent = (a: LevelVersion, b: LevelVersion): boolean => (a.level === 'privileged' && b.level === 'privileged') || (a.level === b.level && a.version === b.version);

const fullyPrivileged = (policy: PsaPolicy): boolean => MODES.every((mode) => policy[mode].level === 'privileged');

/** A field.Error as metav1.StatusCause carries it (type, ErrorBody(), field path). */
export interface FieldCause {
  reason: string;
  message: string;
  field: string;
}

/** field.ErrorList.ToAggregate().Error(): one message alone, several in brackets. */
export function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0]! : `[${errors.join(', ')}]`;
}

export const policyString = (lv: LevelVersion): string => `${lv.level}:${lv.version}`;

type Obj = Record<string, unknown>;
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);

/**
 * upstream isSignificantPodUpdate: the only pod fields an UPDATE can change that PSA judges are
 * container images (containers and initContainers by index, their counts) and ephemeral
 * containers (by name: one added, or its image changed). Annotations and labels are not compared.
 */
export function isSignificantPodUpdate(spec: unknown, oldSpec: unknown): boolean {
  const s = isPlainObject(spec) ? spec : {};
  const o = isPlainObject(oldSpec) ? oldSpec : {};
  for (const field of ['containers', 'initContainers']) {
    const now = list(s[field]);
    const before = list(o[field]);
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) if (now[i]!.image !== before[i]!.image) return true;
  }
  const oldEphemeral = list(o.ephemeralContainers);
  for (const c of list(s.ephemeralContainers)) {
    const old = oldEphemeral.find((oc) => oc.name === c.name);
    if (!old || c.image !== old.image) return true;
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

/** What a request writes: its resource (`pods`, `deployments` in `apps`) and name (empty on CREATE with generateName). */
export interface RequestTarget {
  group: string;
  resource: string;
  name: string;
}

/** metav1 GroupResource.String(): `pods`, `deployments.apps`. */
const groupResource = (target: RequestTarget): string => (target.group === '' ? target.resource : `${target.resource}.${target.group}`);

/**
 * apierrors.NewForbidden(resource, name, err).ErrStatus, PSA's denial: `pods "x" is forbidden:
 * violates PodSecurity …` (`pods is forbidden: …` without a name).
 */
export function forbiddenStatus(target: RequestTarget, message: string): Status {
  const what = groupResource(target);
  const text = target.resource === '' && target.group === '' ? `forbidden: ${message}` : target.name === '' ? `${what} is forbidden: ${message}` : `${what} ${JSON.stringify(target.name)} is forbidden: ${message}`;
  return { status: 'Failure', message: text, reason: 'Forbidden', details: { ...(target.name ? { name: target.name } : {}), ...(target.group ? { group: target.group } : {}), kind: target.resource }, code: 403 };
}

/** A forbiddenStatus (alone, or with other denials after it) for an object of the same resource named `name`. */
export function renameForbidden(status: Status, name: string): Status {
  const details = status.details ?? {};
  const before: RequestTarget = { group: details.group ?? '', resource: details.kind ?? '', name: details.name ?? '' };
  const prefix = forbiddenStatus(before, '').message!;
  if (!status.message?.startsWith(prefix)) return status;
  const { name: _previous, ...rest } = details;
  return { ...status, message: forbiddenStatus({ ...before, name }, status.message.slice(prefix.length)).message, details: { ...(name ? { name } : {}), ...rest } };
}

/** apierrors.NewInternalError(err).ErrStatus, as PSA answers a namespace it cannot look up. */
export function internalErrorStatus(message: string): Status {
  return { status: 'Failure', message: `Internal error occurred: ${message}`, reason: 'InternalError', details: { causes: [{ message }] }, code: 500 };
}

/** PSA's message for a namespace it cannot look up (admission.go: `failed to lookup namespace %q`). */
export const namespaceLookupMessage = (namespace: string): string => `failed to lookup namespace ${JSON.stringify(namespace)}`;

/**
 * PSA's answer when the namespace lookup fails. Pods: an internal error (500), the cause in the
 * `error` audit annotation. Controllers: allowed, the cause in the `error` audit annotation.
 */
export function namespaceLookupFailure(namespace: string, cause: string, pod: boolean): PsaOutcome {
  const message = namespaceLookupMessage(namespace);
  if (!pod) return { allowed: true, warnings: [], auditAnnotations: { error: `${message}: ${cause}` } };
  const status = internalErrorStatus(message);
  return { allowed: false, status, warnings: [], auditAnnotations: { error: `${status.message}: ${cause}` } };
}

/**
 * PSA's answers that do not look at the pod, in upstream's order (ValidatePod,
 * ValidatePodController): exempt namespace or user; then, with the namespace's labels parsed
 * without error, a Pod in a namespace privileged in all three modes (annotated
 * `enforce-policy: privileged:latest` whatever the versions) or a controller in one whose warn
 * and audit levels are privileged (nothing). Undefined: the pod spec must be judged.
 */
export function psaShortCircuit(config: PsaConfiguration, namespace: string, username: string, policy: PsaPolicy, errors: readonly string[], enforce: boolean): PsaOutcome | undefined {
  const exemption = psaExemption(config, namespace, username);
  if (exemption) return exemptOutcome(exemption);
  if (errors.length > 0) return undefined;
  if (enforce && fullyPrivileged(policy)) return { allowed: true, warnings: [], auditAnnotations: { 'enforce-policy': policyString(PRIVILEGED_LATEST) } };
  if (!enforce && policy.warn.level === 'privileged' && policy.audit.level === 'privileged') return ALLOWED();
  return undefined;
}

/** PSA's BadRequest answer to a request it cannot decode (errorResponse with no cause). */
export function badRequestOutcome(message: string): PsaOutcome {
  return { allowed: false, status: { status: 'Failure', message, reason: 'BadRequest', code: 400 }, warnings: [], auditAnnotations: { error: message } };
}

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
 * does; the pod is decoded once and each check runs once across enforce, audit and warn. `known`
 * holds the details already worked out for this pod (a caller that memoizes them across requests
 * passes the same map for the same pod spec and annotations: the details depend on nothing else).
 */
function detailsOf(pod: PsaPodSpec, known: Map<string, string | null> = new Map()): (lv: LevelVersion) => string | null {
  let evaluate: ((policy: LevelVersion) => PssEvaluation) | undefined;
  return (lv) => {
    const key = policyString(lv);
    let detail = known.get(key);
    if (detail === undefined) {
      evaluate ??= podEvaluator(pod.metadata, pod.spec);
      const evaluation = evaluate(lv);
      detail = evaluation.allowed ? null : evaluation.violations.map(({ reason, detail: d }) => (d ? `${reason} (${d})` : reason)).join(', ');
      known.set(key, detail);
    }
    return detail;
  };
}

/**
 * upstream EvaluatePod over one or more pod specs of one object. `enforce` is true for Pods (and,
 * with --enforce-templates, for controllers): a denial is 403 Forbidden with upstream's message.
 */
export function evaluatePods(pods: readonly PsaPodSpec[], policy: PsaPolicy, policyErrors: readonly string[], config: PsaConfiguration, enforce: boolean, target: RequestTarget, knownDetails?: (pod: PsaPodSpec) => Map<string, string | null>): PsaOutcome {
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
    const detailFor = detailsOf(pod, knownDetails?.(pod));
    if (enforce) {
      const detail = detailFor(policy.enforce);
      if (detail !== null) denials.push(`${prefix(pod)}violates PodSecurity ${JSON.stringify(policyString(policy.enforce))}: ${detail}`);
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
    outcome.status = forbiddenStatus(target, denials.join('; '));
  } else {
    // upstream: no warnings on a request that is already rejected.
    outcome.warnings.push(...warnings);
  }
  return outcome;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** What upstream accepts as an exemption entry (namespaces: a namespace name; runtimeClasses: an object name), and its words when not. */
const EXEMPTION_NAME: Readonly<Record<'usernames' | 'runtimeClasses' | 'namespaces', { invalid(value: string): string | undefined }>> = {
  usernames: { invalid: (v) => (v === '' ? 'username must not be empty' : undefined) },
  namespaces: { invalid: (v) => (v.length <= 63 && DNS_LABEL.test(v) ? undefined : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character") },
  runtimeClasses: { invalid: (v) => (v.length <= 253 && DNS_SUBDOMAIN.test(v) ? undefined : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character") },
};

/** The PodSecurityConfiguration versions upstream's loader decodes. */
const CONFIGURATION_VERSIONS = ['pod-security.admission.config.k8s.io/v1', 'pod-security.admission.config.k8s.io/v1beta1', 'pod-security.admission.config.k8s.io/v1alpha1'];

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
  if (configuration.kind !== undefined && configuration.apiVersion !== undefined && !CONFIGURATION_VERSIONS.includes(String(configuration.apiVersion))) {
    throw new Error(`${where}: apiVersion must be one of ${CONFIGURATION_VERSIONS.join(', ')}, got ${String(configuration.apiVersion)}`);
  }
  const result = defaultPsaConfiguration();
  const errors: string[] = [];
  const defaults = isPlainObject(configuration.defaults) ? configuration.defaults : {};
  // upstream SetDefaults_PodSecurityDefaults: a missing or empty field is privileged / latest.
  const given = (value: unknown): boolean => value !== undefined && value !== null && value !== '';
  for (const mode of MODES) {
    const level = defaults[mode];
    const version = defaults[`${mode}-version`];
    if (given(level)) {
      const parsed = typeof level === 'string' ? parseLevel(level) : undefined;
      if (parsed) result.defaults[mode] = { ...result.defaults[mode], level: parsed };
      else errors.push(`defaults.${mode}: Invalid value: ${JSON.stringify(level)}: ${LEVEL_ERROR}`);
    }
    if (given(version)) {
      const parsed = typeof version === 'string' ? parseVersion(version) : undefined;
      if (parsed) result.defaults[mode] = { ...result.defaults[mode], version: parsed };
      else errors.push(`defaults.${mode}-version: Invalid value: ${JSON.stringify(version)}: ${VERSION_ERROR}`);
    }
  }
  const exemptions = isPlainObject(configuration.exemptions) ? configuration.exemptions : {};
  for (const key of ['usernames', 'runtimeClasses', 'namespaces'] as const) {
    const values = exemptions[key];
    if (values === undefined || values === null) continue;
    if (!Array.isArray(values)) {
      errors.push(`exemptions.${key}: must be a list of strings`);
      continue;
    }
    // upstream validation.ValidatePodSecurityConfiguration: each entry well formed, none twice.
    const seen = new Set<string>();
    values.forEach((value: unknown, i) => {
      const problem = typeof value !== 'string' ? 'must be a string' : EXEMPTION_NAME[key].invalid(value);
      if (problem) errors.push(`exemptions.${key}[${i}]: Invalid value: ${JSON.stringify(value)}: ${problem}`);
      else if (seen.has(value as string)) errors.push(`exemptions.${key}[${i}]: Duplicate value: ${JSON.stringify(value)}`);
      else seen.add(value as string);
    });
    result.exemptions[key] = [...seen];
  }
  if (errors.length > 0) throw new Error(`${where}: ${errors.join('; ')}`);
  return result;
}

/**
 * upstream ValidateNamespace, as far as a webhook that sees no pods can go. Labels that do not
 * parse are refused (422 Invalid, on CREATE, and on UPDATE unless the same errors were there
 * before); an exempt namespace that sets a policy is warned that it will be ignored. PSA also
 * warns, when an UPDATE tightens the enforce level, about existing pods that would violate it:
 * palisade lists no pods (its RBAC is namespaces only), so that warning is never given.
 */
export function validateNamespace(config: PsaConfiguration, request: { operation: string; namespace: string; name: string; kind: { group: string; kind: string } }, labels: Readonly<Record<string, string>> | undefined, oldLabels: Readonly<Record<string, string>> | undefined | null): PsaOutcome {
  const now = policyToEvaluate(labels, config.defaults);
  const exemptWarning = (): PsaOutcome => {
    const warning = exemptNamespaceWarning(config, request.name, now.policy, labels ?? {});
    return warning === undefined ? ALLOWED() : { allowed: true, warnings: [warning], auditAnnotations: {} };
  };
  const exempt = request.namespace !== '' && config.exemptions.namespaces.includes(request.namespace);
  if (request.operation === 'CREATE') {
    if (now.errors.length > 0) return invalidOutcome(request, now);
    return exempt ? exemptWarning() : ALLOWED();
  }
  if (request.operation !== 'UPDATE') return ALLOWED();
  if (oldLabels === null) return badRequestOutcome('failed to decode  old namespace');
  const before = policyToEvaluate(oldLabels, config.defaults);
  if (now.errors.length > 0 && (before.errors.length === 0 || now.errors.join('\n') !== before.errors.join('\n'))) return invalidOutcome(request, now);
  const enforce = now.policy.enforce;
  const oldEnforce = before.policy.enforce;
  if (enforce.level === oldEnforce.level && enforce.version === oldEnforce.version) return ALLOWED();
  if (enforce.level === 'privileged') return ALLOWED();
  if (enforce.version === oldEnforce.version && compareLevels(enforce.level, oldEnforce.level) < 1) return ALLOWED();
  return exempt ? exemptWarning() : ALLOWED();
}

/** apierrors.NewInvalid(kind, name, errors): 422, `Namespace "x" is invalid: <aggregate>`, a cause per label. */
function invalidOutcome(request: { name: string; kind: { group: string; kind: string } }, parsed: { errors: string[]; causes: FieldCause[] }): PsaOutcome {
  const kind = request.kind.group === '' ? request.kind.kind : `${request.kind.kind}.${request.kind.group}`;
  const details = { ...(request.name ? { name: request.name } : {}), ...(request.kind.group ? { group: request.kind.group } : {}), kind: request.kind.kind, causes: parsed.causes };
  return { allowed: false, status: { status: 'Failure', message: `${kind} ${JSON.stringify(request.name)} is invalid: ${aggregate(parsed.errors)}`, reason: 'Invalid', details, code: 422 }, warnings: [], auditAnnotations: {} };
}

/** upstream exemptNamespaceWarning: the non-privileged modes the labels set, in the order enforce, audit, warn. */
function exemptNamespaceWarning(config: PsaConfiguration, name: string, policy: PsaPolicy, labels: Readonly<Record<string, string>>): string | undefined {
  if (fullyPrivileged(policy) || MODES.every((mode) => equivalent(policy[mode], config.defaults[mode]))) return undefined;
  const set = MODES.filter((mode) => policy[mode].level !== 'privileged' && (labels[PSA_LABEL + mode] !== undefined || labels[`${PSA_LABEL}${mode}-version`] !== undefined));
  const parts = set.map((mode) => `${mode}=${policyString(policy[mode])}`);
  return `namespace ${JSON.stringify(name)} is exempt from Pod Security, and the policy (${parts.join(', ')}) will be ignored`;
}
