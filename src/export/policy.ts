import type { ConfigExemption } from '../core/config.js';
import { EXEMPT_ANNOTATION, EXEMPT_REASON_ANNOTATION, EXEMPT_UNTIL_ANNOTATION, globMatches } from '../core/exemptions.js';
import { LATEST_VERSION, parseVersion, pssCheckId, pssRuleOf, type CheckLevel, type Level } from '../pss/index.js';
import type { WorkloadKind } from '../workloads/index.js';
import { and, globToRegex, not, or, str, strList, valueOr } from './cel.js';
import { translatePss } from './pss.js';
import { translateWorkloads, type MatchKind } from './workloads.js';

/**
 * The engine-neutral export: CEL policies (variables + one validation per check) and the bindings
 * that say where and how they apply. vap.ts, kyverno.ts and gatekeeper.ts only wrap this; the CEL
 * is the same text in all three.
 */

export type ExportMode = 'enforce' | 'warn' | 'audit';
export const EXPORT_MODES: readonly ExportMode[] = ['enforce', 'warn', 'audit'];

export interface CelVariable {
  name: string;
  expression: string;
}

export interface CelValidation {
  /** The palisade check id (PSS_RESTRICTED_RUN_AS_NON_ROOT, …). */
  id: string;
  expression: string;
  message: string;
}

export interface ExportedPolicy {
  /** DNS-1123 name, e.g. `palisade-pss-restricted-v1.37`. */
  name: string;
  description: string;
  /** PSS policies: the level and the policy version translated (`latest` resolved). */
  level?: CheckLevel;
  version?: string;
  /** Kyverno's category annotation. */
  category: string;
  match: MatchKind[];
  /** CEL conditions that must all hold for the policy to apply (PSA username exemptions). */
  matchConditions: CelVariable[];
  variables: CelVariable[];
  validations: CelValidation[];
  severity: string;
}

/** A Kubernetes label selector (matchLabels/matchExpressions). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }>;
}

export interface ExportedBinding {
  name: string;
  policy: string;
  modes: ExportMode[];
  namespaceSelector?: LabelSelector;
}

export interface NotExported {
  id: string;
  reason: string;
}

export interface ExportBundle {
  policies: ExportedPolicy[];
  bindings: ExportedBinding[];
  notExported: NotExported[];
}

/** Which PSS level applies per mode, with PSA's namespace labels on top (config `admission.podSecurity`). */
export interface PssModes {
  enforce: { level: Level; version: string };
  warn: { level: Level; version: string };
  audit: { level: Level; version: string };
}

export interface ExportOptions {
  /**
   * A single level for every namespace (`--level`, `--version`, one mode), or PSA-style defaults per
   * mode that namespace labels (`pod-security.kubernetes.io/<mode>`) override.
   */
  pss: { level: Level; version: string; mode: ExportMode } | { defaults: PssModes; version: string };
  /** Palisade check ids (or upstream PSS ids) to export; all when undefined. */
  checks?: readonly string[];
  workloads: readonly WorkloadKind[];
  /** `exemptions:` of .palisade.yaml: baked into the CEL, their expiry compared with `variables.now`. */
  configExemptions: readonly ConfigExemption[];
  /** PSA exemptions (PodSecurityConfiguration). */
  psaExemptions?: { usernames: readonly string[]; runtimeClasses: readonly string[]; namespaces: readonly string[] };
}

const PSA_LABEL = 'pod-security.kubernetes.io/';
/** An ISO date that JavaScript's Date.parse accepts (core/exemptions.ts isIsoDate): month 01–12, day 01–31. */
const DATE = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$';

/**
 * `now` for exemption expiry, as RFC 3339 text. Kubernetes CEL has no clock (no `now()` in any
 * library of the API server's CEL environment), so the policies read the server's clock from what
 * the API server writes into the object before validating admission runs:
 * - CREATE: the generic registry's Store.create calls rest.FillObjectMetaSystemFields, which sets
 *   metadata.creationTimestamp to the server's time (overwriting any client value), before
 *   BeforeCreate and the createValidation (validating admission) call
 *   (k8s.io/apiserver pkg/registry/generic/registry/store.go, pkg/registry/rest/create.go).
 * - CREATE and UPDATE: the field manager, which runs in the request handler before admission,
 *   stamps the managedFields entry of the manager whose request changed fields with the server's
 *   time (k8s.io/apiserver pkg/endpoints/handlers/fieldmanager ... managedFieldsUpdater.Update).
 * `now` is the latest of these timestamps. A forged later managedFields time only makes exemptions
 * expire sooner. An UPDATE that changes no field is not stamped, so `now` is then the object's last
 * write (the object did not change). An object with neither field (never through an API server:
 * `kyverno apply`, `gator test` on files) gets a far-future `now`: no dated exemption applies, fail
 * closed. Dates compare as text (metav1.Time is RFC 3339 UTC with seconds).
 */
export const CLOCK_EXPRESSION = `(has(object.metadata) && has(object.metadata.creationTimestamp) ? [string(object.metadata.creationTimestamp)] : []) + (has(object.metadata) && has(object.metadata.managedFields) ? object.metadata.managedFields.filter(f, type(f) == map && has(f.time)).map(f, string(f.time)) : [])`;
export const NOW_EXPRESSION = `variables.clock.size() == 0 ? '9999-12-31T00:00:00Z' : variables.clock.filter(m, variables.clock.all(o, o <= m))[0]`;

/** Today's date (YYYY-MM-DD, UTC) of `now`: expiry dates compare as strings, as src/core/exemptions.ts compares them. */
export const TODAY_EXPRESSION = 'variables.now.substring(0, 10)';

const ANNOTATIONS = 'variables.annotations';
export const ANNOTATIONS_EXPRESSION = valueOr('object', ['metadata', 'annotations'], '{}');

/** The check-id patterns the object's palisade.dev/exempt annotations grant, when they are valid and unexpired. */
export const EXEMPT_EXPRESSION = (() => {
  const a = (key: string): string => `${ANNOTATIONS}[${str(key)}]`;
  const has = (key: string): string => `${str(key)} in ${ANNOTATIONS}`;
  const until = `${a(EXEMPT_UNTIL_ANNOTATION)}.trim()`;
  // An empty or malformed date voids the exemption, as core/exemptions.ts reads it (problem 'badDate').
  // An exemption "until D" holds through day D: D >= today, compared as text (a timestamp would reject 2026-02-31, which Date.parse accepts).
  const unexpired = or(not(has(EXEMPT_UNTIL_ANNOTATION)), and(`${until}.matches(${str(DATE)})`, `${until} >= variables.today`));
  const valid = and(has(EXEMPT_ANNOTATION), has(EXEMPT_REASON_ANNOTATION), `${a(EXEMPT_REASON_ANNOTATION)}.trim() != ''`, unexpired);
  return `${valid} ? ${a(EXEMPT_ANNOTATION)}.split(',').map(x, x.trim()).filter(x, x != '') : []`;
})();

/** The variables every policy has: the clock, the object's annotations and the exemptions they grant. */
export const COMMON_VARIABLES: readonly CelVariable[] = [
  { name: 'clock', expression: CLOCK_EXPRESSION },
  { name: 'now', expression: NOW_EXPRESSION },
  { name: 'today', expression: TODAY_EXPRESSION },
  { name: 'annotations', expression: ANNOTATIONS_EXPRESSION },
  { name: 'exempt', expression: EXEMPT_EXPRESSION },
];

const OBJECT_NAME = `(has(object.metadata.name) ? object.metadata.name : ${valueOr('object', ['metadata', 'generateName'], "''")})`;
const OBJECT_NAMESPACE = valueOr('object', ['metadata', 'namespace'], "''");

/** CEL true when an exemption covers check `id` on the admitted object. */
export function exemptionTerm(id: string, config: readonly ConfigExemption[]): string {
  // A pattern outside [A-Za-z0-9_*?] cannot match a check id under palisade's glob (every other character is literal).
  const fromAnnotation = `variables.exempt.exists(x, x.matches('^[A-Za-z0-9_*?]+$') && ${str(id)}.matches('^' + x.replace('?', '.').replace('*', '.*') + '$'))`;
  const fromConfig = config
    .filter((entry) => globMatches(entry.check, id))
    .map((entry) => {
      const { namespace, kind, name } = entry.match;
      return and(
        namespace === undefined ? 'true' : `${OBJECT_NAMESPACE}.matches(${str(globToRegex(namespace))})`,
        kind === undefined ? 'true' : `object.kind.matches(${str(globToRegex(kind))})`,
        name === undefined ? 'true' : `${OBJECT_NAME}.matches(${str(globToRegex(name))})`,
        entry.expires === undefined ? 'true' : `${str(entry.expires)} >= variables.today`,
      );
    });
  return or(fromAnnotation, ...fromConfig);
}

/** Resolve `--checks`: palisade ids or upstream PSS ids; unknown ids are reported by the caller. */
export function wanted(checks: readonly string[] | undefined, id: string, upstream?: string): boolean {
  return checks === undefined || checks.some((c) => globMatches(c, id) || (upstream !== undefined && c === upstream));
}

function pssPolicy(level: CheckLevel, version: string, options: ExportOptions, podGroups: string, match: MatchKind[]): ExportedPolicy {
  const resolved = version === 'latest' ? LATEST_VERSION : version;
  const runtimeClasses = options.psaExemptions?.runtimeClasses ?? [];
  const exemptRuntime = runtimeClasses.length > 0 ? `(has(p.spec.runtimeClassName) && p.spec.runtimeClassName in ${strList(runtimeClasses)})` : undefined;
  const validations: CelValidation[] = [];
  for (const translation of translatePss(level, resolved)) {
    const id = pssCheckId(translation.check);
    if (!wanted(options.checks, id, translation.check)) continue;
    const perPod = or('p.containers.size() == 0', ...(exemptRuntime ? [exemptRuntime] : []), translation.expression);
    validations.push({
      id,
      expression: or(exemptionTerm(id, options.configExemptions), `variables.podGroups.all(g, g.all(p, ${perPod}))`),
      message: `violates PodSecurity "${level}:${version}": ${translation.reason} (${id}: ${pssRuleOf(translation.check).title})`,
    });
  }
  const usernames = options.psaExemptions?.usernames ?? [];
  return {
    name: `palisade-pss-${level}-${version}`,
    description: `Pod Security Standards ${level} at ${version} (${resolved}), as palisade and the API server's PodSecurity admission evaluate it, for every workload kind palisade knows.`,
    level,
    version: resolved,
    match,
    matchConditions: usernames.length > 0 ? [{ name: 'psa-exempt-usernames', expression: `!(request.userInfo.username in ${strList(usernames)})` }] : [],
    category: 'Pod Security Standards (palisade)',
    variables: [...COMMON_VARIABLES, { name: 'podGroups', expression: podGroups }],
    validations,
    severity: level === 'baseline' ? 'high' : 'medium',
  };
}

/** Names of namespaces PSA exempts, as a selector term every binding carries. */
function exemptNamespaces(options: ExportOptions): LabelSelector['matchExpressions'] {
  const namespaces = options.psaExemptions?.namespaces ?? [];
  return namespaces.length > 0 ? [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...namespaces] }] : [];
}

/** Build the PSS policies and their bindings. */
export function exportPss(options: ExportOptions): ExportBundle {
  const { podGroups, match, notCovered } = translateWorkloads(options.workloads);
  const notExported: NotExported[] = notCovered.map(({ kind, reason }) => ({ id: `workload:${kind}`, reason }));
  const policies = new Map<string, ExportedPolicy>();
  const bindings: ExportedBinding[] = [];
  const policyFor = (level: CheckLevel, version: string): ExportedPolicy => {
    const key = `${level}|${version}`;
    let policy = policies.get(key);
    if (!policy) {
      policy = pssPolicy(level, version, options, podGroups, match);
      policies.set(key, policy);
    }
    return policy;
  };
  const extra = exemptNamespaces(options) ?? [];

  if ('level' in options.pss) {
    const { level, version, mode } = options.pss;
    if (level !== 'privileged') {
      const policy = policyFor(level, version);
      bindings.push({ name: policy.name, policy: policy.name, modes: [mode], ...(extra.length ? { namespaceSelector: { matchExpressions: extra } } : {}) });
    }
  } else {
    const { defaults, version } = options.pss;
    // One binding per level and mode for namespaces labelled with that level, and one for unlabelled
    // namespaces at the default level: PSA's label-over-default rule as label selectors.
    for (const level of ['baseline', 'restricted'] as const) {
      const modes = new Map<string, ExportMode[]>();
      for (const mode of EXPORT_MODES) {
        modes.set(`label:${mode}`, [mode]);
        if (defaults[mode].level === level) modes.set(`default:${mode}`, [mode]);
      }
      for (const [key, [mode]] of modes) {
        const policy = policyFor(level, version);
        const labelled = key.startsWith('label:');
        const selector: LabelSelector = {
          matchExpressions: [labelled ? { key: PSA_LABEL + mode!, operator: 'In', values: [level] } : { key: PSA_LABEL + mode!, operator: 'DoesNotExist' }, ...extra],
        };
        bindings.push({ name: `${policy.name}-${mode}-${labelled ? 'labelled' : 'default'}`, policy: policy.name, modes: [mode!], namespaceSelector: selector });
      }
    }
    notExported.push({ id: 'psa:version-labels', reason: `pod-security.kubernetes.io/<mode>-version labels are not followed: every binding uses the exported version ${version}` });
  }
  return { policies: [...policies.values()], bindings, notExported };
}

/** `--version`: v1.N or latest, as the PSS engine parses it. */
export function parseExportVersion(text: string): string | undefined {
  return parseVersion(text);
}
