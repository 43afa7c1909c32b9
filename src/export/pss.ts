import {
  accumulate,
  activeChecks,
  ALLOWED_SECCOMP_TYPES,
  ALLOWED_SELINUX_TYPES,
  APPARMOR_CONTAINER_ANNOTATION_PREFIX,
  BASELINE_CAPABILITIES_1_0,
  minorOf,
  PSS_CHECKS,
  RESTRICTED_VOLUME_SOURCES,
  SAFE_SYSCTLS,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  VOLUME_SOURCES,
  type AllowListStep,
  type CheckLevel,
} from '../pss/index.js';
import { and, not, or, present, presentPath, selectPath, str, strList, valueOr, whenPresent } from './cel.js';

/**
 * Each upstream Pod Security check, per behaviour version, as one CEL predicate over a pod map `p`
 * (`p.spec`, `p.annotations`, `p.containers`; see workloads.ts): true when the pod passes. The
 * translations follow src/pss/checks/*.ts line by line; test/export/pss.test.ts runs them against
 * palisade's own evaluator over the whole conformance corpus at every level and version.
 */

export interface PssTranslation {
  /** Upstream check id. */
  check: string;
  /** The behaviour version translated (the check's minimumVersion in force). */
  minimumVersion: string;
  /** CEL over `p`: true = allowed. */
  expression: string;
  /** Upstream's reason phrase, for the validation message. */
  reason: string;
}

const P = 'p';
const SPEC = `${P}.spec`;
const C = 'c';

/** Every container passes `test` (over the container variable `c`). */
const everyContainer = (test: string): string => `${P}.containers.all(${C}, ${test})`;
/** The pod's securityContext field path. */
const podSc = (...path: string[]): string[] => ['securityContext', ...path];
const windowsPod = whenPresent(SPEC, ['os', 'name'], (v) => `${v} == 'windows'`);
const userNamespacePod = whenPresent(SPEC, ['hostUsers'], (v) => `${v} == false`);

/** The allow-list in force at a minor version. */
function allowedAt(steps: readonly AllowListStep[], minimumVersion: string): ReadonlySet<string> {
  const minor = minorOf(minimumVersion) ?? 0;
  let allowed: ReadonlySet<string> = new Set();
  for (const step of accumulate(steps)) if ((minorOf(step.minimumVersion) ?? 0) <= minor) allowed = step.allowed;
  return allowed;
}

/** A profile object (seccomp/AppArmor) at `path`: absent, or present with an allowed type (a missing type is ""). */
function profileAllowed(base: string, path: readonly string[], allowed: ReadonlySet<string>): string {
  return or(not(presentPath(base, path)), `${valueOr(selectPath(base, path), ['type'], "''")} in ${strList(allowed)}`);
}

function boolIs(base: string, path: readonly string[], value: boolean): string {
  return whenPresent(base, path, (v) => `${v} == ${value}`);
}

const privileged = (): string => everyContainer(not(boolIs(C, ['securityContext', 'privileged'], true)));

const allowPrivilegeEscalation = (version: string): string => {
  const rule = everyContainer(boolIs(C, ['securityContext', 'allowPrivilegeEscalation'], false));
  return version === 'v1.8' ? rule : or(windowsPod, rule);
};

const appArmorProfile = (): string => {
  const allowed = new Set(['RuntimeDefault', 'Localhost']);
  const annotationOk = `!k.startsWith(${str(APPARMOR_CONTAINER_ANNOTATION_PREFIX)}) || ${P}.annotations[k] == '' || ${P}.annotations[k] == 'runtime/default' || ${P}.annotations[k].startsWith('localhost/')`;
  return and(profileAllowed(SPEC, podSc('appArmorProfile'), allowed), everyContainer(profileAllowed(C, ['securityContext', 'appArmorProfile'], allowed)), `${P}.annotations.all(k, ${annotationOk})`);
};

const capabilitiesBaseline = (): string =>
  everyContainer(or(not(presentPath(C, ['securityContext', 'capabilities', 'add'])), `${C}.securityContext.capabilities.add.all(a, a in ${strList(BASELINE_CAPABILITIES_1_0)})`));

const capabilitiesRestricted = (version: string): string => {
  const dropsAll = whenPresent(C, ['securityContext', 'capabilities', 'drop'], (v) => `'ALL' in ${v}`);
  const addsOnlyBind = or(not(presentPath(C, ['securityContext', 'capabilities', 'add'])), `${C}.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE')`);
  const rule = everyContainer(and(dropsAll, addsOnlyBind));
  return version === 'v1.22' ? rule : or(windowsPod, rule);
};

const hostNamespaces = (): string => and(...['hostNetwork', 'hostPID', 'hostIPC'].map((field) => not(boolIs(SPEC, [field], true))));

const hostPathVolumes = (): string => or(not(present(SPEC, 'volumes')), `${SPEC}.volumes.all(v, !has(v.hostPath))`);

const hostPorts = (): string => everyContainer(or(not(present(C, 'ports')), `${C}.ports.all(pt, !has(pt.hostPort) || pt.hostPort == 0)`));

const hostProbesAndHostLifecycle = (): string => {
  const handlers = [['livenessProbe'], ['readinessProbe'], ['startupProbe'], ['lifecycle', 'postStart'], ['lifecycle', 'preStop']];
  const hostSet = handlers.flatMap((handler) => ['httpGet', 'tcpSocket'].map((kind) => whenPresent(C, [...handler, kind, 'host'], (v) => `${v} != ''`)));
  return everyContainer(not(or(...hostSet)));
};

const procMountRule = (): string => everyContainer(or(not(presentPath(C, ['securityContext', 'procMount'])), `${C}.securityContext.procMount == 'Default'`));

const procMount = (version: string): string => (version === 'v1.0' ? procMountRule() : or(userNamespacePod, procMountRule()));

const restrictedVolumes = (): string => {
  const allowed = [...RESTRICTED_VOLUME_SOURCES].sort();
  const forbidden = VOLUME_SOURCES.filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source));
  // A volume with no source at all is defaulted to emptyDir by the API server.
  const volumeOk = or(...allowed.map((s) => `has(v.${s})`), not(or(...forbidden.map((s) => `has(v.${s})`))));
  return or(not(present(SPEC, 'volumes')), `${SPEC}.volumes.all(v, ${volumeOk})`);
};

const runAsNonRoot = (version: string): string => {
  const podFalse = boolIs(SPEC, podSc('runAsNonRoot'), false);
  const podTrue = boolIs(SPEC, podSc('runAsNonRoot'), true);
  const containerOk = `${presentPath(C, ['securityContext', 'runAsNonRoot'])} ? ${C}.securityContext.runAsNonRoot == true : ${podTrue}`;
  const rule = and(not(podFalse), everyContainer(containerOk));
  return version === 'v1.0' ? rule : or(userNamespacePod, rule);
};

const runAsUser = (version: string): string => {
  const rule = and(not(whenPresent(SPEC, podSc('runAsUser'), (v) => `${v} == 0`)), everyContainer(not(whenPresent(C, ['securityContext', 'runAsUser'], (v) => `${v} == 0`))));
  return version === 'v1.23' ? rule : or(userNamespacePod, rule);
};

const seLinuxOptions = (version: string): string => {
  const types = allowedAt(ALLOWED_SELINUX_TYPES, version);
  const optionsOk = (base: string, path: readonly string[]): string => {
    const options = selectPath(base, path);
    return or(
      not(presentPath(base, path)),
      and(`${valueOr(options, ['type'], "''")} in ${strList(types)}`, `${valueOr(options, ['user'], "''")} == ''`, `${valueOr(options, ['role'], "''")} == ''`),
    );
  };
  return and(optionsOk(SPEC, podSc('seLinuxOptions')), everyContainer(optionsOk(C, ['securityContext', 'seLinuxOptions'])));
};

const seccompBaseline = (version: string): string => {
  if (version === 'v1.0') {
    const annotationOk = (key: string): string => {
      const value = `${P}.annotations[${key}]`;
      return `!(${key} in ${P}.annotations) || ${value} == 'runtime/default' || ${value} == 'docker/default' || ${value}.startsWith('localhost/')`;
    };
    const containerKey = `${str(SECCOMP_CONTAINER_ANNOTATION_PREFIX)} + ${valueOr(C, ['name'], "''")}`;
    return and(annotationOk(str(SECCOMP_POD_ANNOTATION)), everyContainer(annotationOk(containerKey)));
  }
  return and(profileAllowed(SPEC, podSc('seccompProfile'), ALLOWED_SECCOMP_TYPES), everyContainer(profileAllowed(C, ['securityContext', 'seccompProfile'], ALLOWED_SECCOMP_TYPES)));
};

const seccompRestricted = (version: string): string => {
  const podPath = podSc('seccompProfile');
  const podValid = and(presentPath(SPEC, podPath), `${valueOr(selectPath(SPEC, podPath), ['type'], "''")} in ${strList(ALLOWED_SECCOMP_TYPES)}`);
  const containerPath = ['securityContext', 'seccompProfile'];
  const containerOk = `${presentPath(C, containerPath)} ? ${valueOr(selectPath(C, containerPath), ['type'], "''")} in ${strList(ALLOWED_SECCOMP_TYPES)} : ${podValid}`;
  const rule = and(profileAllowed(SPEC, podPath, ALLOWED_SECCOMP_TYPES), everyContainer(containerOk));
  return version === 'v1.19' ? rule : or(windowsPod, rule);
};

const sysctls = (version: string): string => {
  const safe = allowedAt(SAFE_SYSCTLS, version);
  return or(not(presentPath(SPEC, podSc('sysctls'))), `${SPEC}.securityContext.sysctls.all(s, ${valueOr('s', ['name'], "''")} in ${strList(safe)})`);
};

const windowsHostProcess = (): string =>
  and(not(boolIs(SPEC, podSc('windowsOptions', 'hostProcess'), true)), everyContainer(not(boolIs(C, ['securityContext', 'windowsOptions', 'hostProcess'], true))));

interface Translator {
  reason: string;
  translate: (minimumVersion: string) => string;
}

/** Translators by upstream check id; every check and version of src/pss must be here (a test walks PSS_CHECKS). */
export const PSS_TRANSLATORS: Readonly<Record<string, Translator>> = {
  allowPrivilegeEscalation: { reason: 'allowPrivilegeEscalation != false', translate: allowPrivilegeEscalation },
  appArmorProfile: { reason: 'forbidden AppArmor profile', translate: appArmorProfile },
  capabilities_baseline: { reason: 'non-default capabilities', translate: capabilitiesBaseline },
  capabilities_restricted: { reason: 'unrestricted capabilities', translate: capabilitiesRestricted },
  hostNamespaces: { reason: 'host namespaces', translate: hostNamespaces },
  hostPathVolumes: { reason: 'hostPath volumes', translate: hostPathVolumes },
  hostPorts: { reason: 'hostPort', translate: hostPorts },
  hostProbesAndHostLifecycle: { reason: 'probe or lifecycle host', translate: hostProbesAndHostLifecycle },
  privileged: { reason: 'privileged', translate: privileged },
  procMount: { reason: 'procMount', translate: procMount },
  procMount_restricted: { reason: 'procMount', translate: () => procMountRule() },
  restrictedVolumes: { reason: 'restricted volume types', translate: restrictedVolumes },
  runAsNonRoot: { reason: 'runAsNonRoot != true', translate: runAsNonRoot },
  runAsUser: { reason: 'runAsUser=0', translate: runAsUser },
  seLinuxOptions: { reason: 'seLinuxOptions', translate: seLinuxOptions },
  seccompProfile_baseline: { reason: 'seccompProfile', translate: seccompBaseline },
  seccompProfile_restricted: { reason: 'seccompProfile', translate: seccompRestricted },
  sysctls: { reason: 'forbidden sysctls', translate: sysctls },
  windowsHostProcess: { reason: 'hostProcess', translate: windowsHostProcess },
};

/** The versions each translator distinguishes must be exactly the check's versions in src/pss. */
export function untranslatedChecks(): string[] {
  return PSS_CHECKS.filter((check) => !PSS_TRANSLATORS[check.id]).map((check) => check.id);
}

/** The CEL of every check in force at a level and version, in upstream's message order. */
export function translatePss(level: CheckLevel, version: string): PssTranslation[] {
  return activeChecks(level, version).map(({ id, minimumVersion }) => {
    const translator = PSS_TRANSLATORS[id];
    if (!translator) throw new Error(`no CEL translation for PSS check ${id}`);
    return { check: id, minimumVersion, expression: translator.translate(minimumVersion), reason: translator.reason };
  });
}
