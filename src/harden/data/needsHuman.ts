/**
 * PSS checks harden never rewrites, with why a human must decide. Setting these is a choice about
 * the node, the network or the kernel that the manifest cannot show was unnecessary.
 */
export const NEEDS_HUMAN: Readonly<Record<string, string>> = {
  hostNamespaces: 'host namespaces (hostNetwork/hostPID/hostIPC) are set on purpose: removing them changes how the pod reaches the node and the network',
  hostPathVolumes: 'a hostPath volume reads or writes the node: move the data to a PersistentVolumeClaim, an image or an emptyDir by hand',
  restrictedVolumes: 'this volume type is not allowed by restricted: move the data to a PersistentVolumeClaim, CSI, configMap, secret, projected or emptyDir volume by hand',
  hostPorts: 'a hostPort publishes the pod on the node: replace it with a Service by hand',
  procMount: 'an unmasked /proc is set on purpose (nested containers); remove it by hand if it is not needed',
  procMount_restricted: 'an unmasked /proc is set on purpose (nested containers); remove it by hand if it is not needed',
  seLinuxOptions: 'custom SELinux options are set on purpose; only the container_t family is allowed',
  sysctls: 'an unsafe sysctl is set on purpose; it needs a node-level decision',
  appArmorProfile: 'AppArmor is turned off on purpose; remove the unconfined profile by hand',
  windowsHostProcess: 'a Windows HostProcess container runs on the host; it cannot be made restricted',
  hostProbesAndHostLifecycle: 'a probe or lifecycle handler targets a host: point it at the pod by hand',
  seccompProfile_baseline: 'seccomp is turned off (Unconfined) on purpose; switch to RuntimeDefault by hand',
  seccompProfile_restricted: 'seccomp is turned off (Unconfined) on purpose; switch to RuntimeDefault by hand',
  runAsUser: 'runAsUser: 0 is set on purpose: the workload asks for root; change the image or the UID by hand',
  runAsNonRoot: 'runAsNonRoot: false is set on purpose: the workload asks for root; change it by hand',
  privileged: 'a privileged container that uses host devices (GPU/accelerator/driver): use the device plugin and drop privileged by hand',
  capabilities_baseline: 'added capabilities on a container that uses host devices: check which it needs by hand',
  capabilities_restricted: 'added capabilities on a container that uses host devices: check which it needs by hand',
  allowPrivilegeEscalation: 'allowPrivilegeEscalation cannot be false while the container is privileged or adds CAP_SYS_ADMIN',
};

export const NO_AUTOMATIC_FIX = 'harden has no automatic fix for this check';
