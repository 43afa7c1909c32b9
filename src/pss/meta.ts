import type { FrameworkMap, Severity } from '../core/types.js';

/**
 * How a Pod Security Standards violation reads as a palisade finding: severity, title, fix and
 * framework mapping per upstream check ID. The semantics live in `checks/`; this is presentation.
 * CIS ids are CIS Kubernetes Benchmark v1.9 section 5.2/5.7; NIST SP 800-53 rev. 5 controls.
 */
export interface PssRuleMeta {
  check: string;
  level: 'baseline' | 'restricted';
  severity: Severity;
  title: string;
  remediation: string;
  frameworks: FrameworkMap;
  /** A finding id chosen by hand where the upstream ID does not split into words. */
  id?: string;
}

const rule = (check: string, level: PssRuleMeta['level'], severity: Severity, title: string, remediation: string, nist: string[], cis: string[] = []): PssRuleMeta => ({
  check,
  level,
  severity,
  title,
  remediation,
  frameworks: { pss: [level], 'nist-800-53': nist, ...(cis.length ? { cis } : {}) },
});

export const PSS_RULES: readonly PssRuleMeta[] = [
  rule('allowPrivilegeEscalation', 'restricted', 'high', 'Container allows privilege escalation', 'Set securityContext.allowPrivilegeEscalation: false on every container.', ['AC-6'], ['5.2.6']),
  rule('appArmorProfile', 'baseline', 'medium', 'AppArmor profile is unconfined or not allowed', 'Remove the unconfined AppArmor profile; use RuntimeDefault or a Localhost profile.', ['AC-6', 'SC-39']),
  rule('capabilities_baseline', 'baseline', 'high', 'Container adds capabilities beyond the baseline set', 'Remove added capabilities that are not in the baseline list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).', ['AC-6', 'CM-7'], ['5.2.9']),
  rule('capabilities_restricted', 'restricted', 'medium', 'Container does not drop ALL capabilities', 'Set securityContext.capabilities.drop: [ALL] and add back only NET_BIND_SERVICE if the container binds a port below 1024.', ['AC-6', 'CM-7'], ['5.2.8', '5.2.10']),
  rule('hostNamespaces', 'baseline', 'high', 'Pod shares the host network, PID or IPC namespace', 'Remove hostNetwork, hostPID and hostIPC (or set them to false).', ['SC-7', 'SC-39'], ['5.2.3', '5.2.4', '5.2.5']),
  rule('hostPathVolumes', 'baseline', 'high', 'Pod mounts a hostPath volume', 'Replace hostPath volumes with emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume.', ['AC-6', 'SC-39'], ['5.2.12']),
  rule('hostPorts', 'baseline', 'medium', 'Container uses a host port', 'Remove hostPort from the container ports; expose the pod through a Service.', ['SC-7', 'CM-7'], ['5.2.13']),
  rule('hostProbesAndHostLifecycle', 'baseline', 'medium', 'Probe or lifecycle handler targets another host', 'Remove the host field from httpGet/tcpSocket probes and lifecycle handlers.', ['SC-7']),
  rule('privileged', 'baseline', 'critical', 'Container is privileged', 'Remove securityContext.privileged (or set it to false); request devices through a device plugin instead.', ['AC-6', 'SC-39'], ['5.2.2']),
  rule('procMount', 'baseline', 'medium', 'Container uses an unmasked /proc', 'Remove securityContext.procMount or set it to Default.', ['SC-39']),
  rule('procMount_restricted', 'restricted', 'medium', 'Container uses an unmasked /proc', 'Remove securityContext.procMount or set it to Default (Unmasked is allowed only in user-namespaced pods at baseline).', ['SC-39']),
  { ...rule('restrictedVolumes', 'restricted', 'medium', 'Pod uses a volume type outside the restricted set', 'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret and image volumes.', ['AC-6', 'CM-7']), id: 'PSS_RESTRICTED_VOLUME_TYPES' },
  rule('runAsNonRoot', 'restricted', 'high', 'Container may run as root', 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser (on the pod or every container).', ['AC-6'], ['5.2.7']),
  rule('runAsUser', 'restricted', 'high', 'Container runs as UID 0', 'Set runAsUser to a non-zero UID, or remove runAsUser: 0.', ['AC-6'], ['5.2.7']),
  rule('seccompProfile_baseline', 'baseline', 'medium', 'Seccomp profile is Unconfined', 'Set securityContext.seccompProfile.type to RuntimeDefault or Localhost.', ['SC-39', 'CM-7'], ['5.7.2']),
  rule('seccompProfile_restricted', 'restricted', 'medium', 'Seccomp profile is not set to RuntimeDefault or Localhost', 'Set securityContext.seccompProfile.type: RuntimeDefault on the pod.', ['SC-39', 'CM-7'], ['5.7.2']),
  rule('seLinuxOptions', 'baseline', 'medium', 'SELinux options are not allowed', 'Remove seLinuxOptions.user and role, and use only the allowed container types.', ['AC-3', 'SC-39']),
  rule('sysctls', 'baseline', 'medium', 'Pod sets an unsafe sysctl', 'Remove sysctls outside the safe set.', ['SC-39', 'CM-6']),
  rule('windowsHostProcess', 'baseline', 'critical', 'Windows HostProcess container', 'Remove windowsOptions.hostProcess.', ['AC-6', 'SC-39'], ['5.2.11']),
];

const BY_CHECK = new Map(PSS_RULES.map((r) => [r.check, r]));

/** Metadata for an upstream check ID; an unknown ID (a newer upstream check) still gets a sane default. */
export function pssRule(check: string): PssRuleMeta {
  return BY_CHECK.get(check) ?? rule(check, 'restricted', 'medium', `Pod Security Standards: ${check}`, 'See the Pod Security Standards.', ['AC-6']);
}

/** `runAsNonRoot` → `PSS_RESTRICTED_RUN_AS_NON_ROOT`; the level suffix of upstream IDs is dropped. */
export function pssCheckId(check: string): string {
  const meta = pssRule(check);
  if (meta.id) return meta.id;
  const base = check.replace(/_(baseline|restricted)$/, '');
  const snake = base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/_+/g, '_')
    .toUpperCase();
  return `PSS_${meta.level.toUpperCase()}_${snake}`;
}
