import type { PssCheck } from '../types.js';
import { allowPrivilegeEscalation } from './allowPrivilegeEscalation.js';
import { appArmorProfile } from './appArmorProfile.js';
import { capabilities_baseline } from './capabilities_baseline.js';
import { capabilities_restricted } from './capabilities_restricted.js';
import { hostNamespaces } from './hostNamespaces.js';
import { hostPathVolumes } from './hostPathVolumes.js';
import { hostPorts } from './hostPorts.js';
import { hostProbesAndHostLifecycle } from './hostProbesAndHostLifecycle.js';
import { privileged } from './privileged.js';
import { procMount } from './procMount.js';
import { procMount_restricted } from './procMount_restricted.js';
import { restrictedVolumes } from './restrictedVolumes.js';
import { runAsNonRoot } from './runAsNonRoot.js';
import { runAsUser } from './runAsUser.js';
import { seccompProfile_baseline } from './seccompProfile_baseline.js';
import { seccompProfile_restricted } from './seccompProfile_restricted.js';
import { seLinuxOptions } from './seLinuxOptions.js';
import { sysctls } from './sysctls.js';
import { windowsHostProcess } from './windowsHostProcess.js';

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
