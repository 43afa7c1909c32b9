import { describe, expect, it } from 'vitest';
import { palisade } from '../helpers/cli.js';

/** One Pod that breaks every Baseline check, run through `palisade pss` as a user types it: the end-to-end case of each PSS rule id. */
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: bad
  annotations:
    container.apparmor.security.beta.kubernetes.io/c: unconfined
spec:
  securityContext:
    sysctls: [{name: kernel.msgmax, value: "1"}]
    seLinuxOptions: {type: spc_t}
    seccompProfile: {type: Unconfined}
    windowsOptions: {hostProcess: true}
  containers:
  - name: c
    image: x
    securityContext:
      capabilities: {add: [SYS_ADMIN]}
      procMount: Unmasked
    livenessProbe: {httpGet: {host: 1.2.3.4, port: 80, path: /}}
`;

const ids = (level: string): string[] => {
  const run = palisade(['pss', '-', '--level', level, '--format', 'json', '--fail-on', 'none'], { input: POD });
  expect(run.status).toBe(0);
  return [...new Set((JSON.parse(run.stdout) as { findings: Array<{ checkId: string }> }).findings.map((f) => f.checkId))].sort();
};

describe('palisade pss: every Baseline check through the CLI', () => {
  it('at baseline, the pod breaks each Baseline check once', () => {
    expect(ids('baseline')).toEqual([
      'PSS_BASELINE_APP_ARMOR_PROFILE',
      'PSS_BASELINE_CAPABILITIES',
      'PSS_BASELINE_HOST_PROBES_AND_HOST_LIFECYCLE',
      'PSS_BASELINE_PROC_MOUNT',
      'PSS_BASELINE_SECCOMP_PROFILE',
      'PSS_BASELINE_SE_LINUX_OPTIONS',
      'PSS_BASELINE_SYSCTLS',
      'PSS_BASELINE_WINDOWS_HOST_PROCESS',
    ]);
  });

  it('at restricted, the stricter checks that override Baseline ones report instead (capabilities, procMount, seccomp)', () => {
    expect(ids('restricted')).toEqual([
      'PSS_BASELINE_APP_ARMOR_PROFILE',
      'PSS_BASELINE_HOST_PROBES_AND_HOST_LIFECYCLE',
      'PSS_BASELINE_SE_LINUX_OPTIONS',
      'PSS_BASELINE_SYSCTLS',
      'PSS_BASELINE_WINDOWS_HOST_PROCESS',
      'PSS_RESTRICTED_ALLOW_PRIVILEGE_ESCALATION',
      'PSS_RESTRICTED_CAPABILITIES',
      'PSS_RESTRICTED_PROC_MOUNT',
      'PSS_RESTRICTED_RUN_AS_NON_ROOT',
      'PSS_RESTRICTED_SECCOMP_PROFILE',
    ]);
  });
});
