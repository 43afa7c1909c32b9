import type { PssRule } from '../meta.js';
import type { PssCheck } from '../types.js';
import { allowPrivilegeEscalation, allowPrivilegeEscalationRule } from './allowPrivilegeEscalation.js';
import { appArmorProfile, appArmorProfileRule } from './appArmorProfile.js';
import { capabilities_baseline, capabilities_baselineRule } from './capabilities_baseline.js';
import { capabilities_restricted, capabilities_restrictedRule } from './capabilities_restricted.js';
import { hostNamespaces, hostNamespacesRule } from './hostNamespaces.js';
import { hostPathVolumes, hostPathVolumesRule } from './hostPathVolumes.js';
import { hostPorts, hostPortsRule } from './hostPorts.js';
import { hostProbesAndHostLifecycle, hostProbesAndHostLifecycleRule } from './hostProbesAndHostLifecycle.js';
import { privileged, privilegedRule } from './privileged.js';
import { procMount, procMountRule } from './procMount.js';
import { procMount_restricted, procMount_restrictedRule } from './procMount_restricted.js';
import { restrictedVolumes, restrictedVolumesRule } from './restrictedVolumes.js';
import { runAsNonRoot, runAsNonRootRule } from './runAsNonRoot.js';
import { runAsUser, runAsUserRule } from './runAsUser.js';
import { seccompProfile_baseline, seccompProfile_baselineRule } from './seccompProfile_baseline.js';
import { seccompProfile_restricted, seccompProfile_restrictedRule } from './seccompProfile_restricted.js';
import { seLinuxOptions, seLinuxOptionsRule } from './seLinuxOptions.js';
import { sysctls, sysctlsRule } from './sysctls.js';
import { windowsHostProcess, windowsHostProcessRule } from './windowsHostProcess.js';

/** Every upstream check, sorted by ID in byte order (as Go sorts them). No registration side effects. */
export const ALL_CHECKS: readonly PssCheck[] = [
  allowPrivilegeEscalation,
  appArmorProfile,
  capabilities_baseline,
  capabilities_restricted,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  privileged,
  procMount,
  procMount_restricted,
  restrictedVolumes,
  runAsNonRoot,
  runAsUser,
  seLinuxOptions,
  seccompProfile_baseline,
  seccompProfile_restricted,
  sysctls,
  windowsHostProcess,
];

/** How each check's violations read as findings, in the same order. */
export const PSS_RULES: readonly PssRule[] = [
  allowPrivilegeEscalationRule,
  appArmorProfileRule,
  capabilities_baselineRule,
  capabilities_restrictedRule,
  hostNamespacesRule,
  hostPathVolumesRule,
  hostPortsRule,
  hostProbesAndHostLifecycleRule,
  privilegedRule,
  procMountRule,
  procMount_restrictedRule,
  restrictedVolumesRule,
  runAsNonRootRule,
  runAsUserRule,
  seLinuxOptionsRule,
  seccompProfile_baselineRule,
  seccompProfile_restrictedRule,
  sysctlsRule,
  windowsHostProcessRule,
];
