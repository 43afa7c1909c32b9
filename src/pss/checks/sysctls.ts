import { accumulate, ALLOWED, forbid, specField, type AllowListStep } from '../helpers.js';
import { pssRule } from '../meta.js';
import type { PodMeta, PodSpec } from '../podSpec.js';
import type { CheckResult, EvaluateFn, FieldRef, PssCheck } from '../types.js';

/*
 * Sysctls can disable security mechanisms or affect all containers on a host, and should be
 * disallowed except for an allowed "safe" subset. A sysctl is considered safe if it is namespaced
 * in the container or the pod, and it is isolated from other pods or processes on the same node.
 *
 * Restricted fields:
 *   spec.securityContext.sysctls[*].name
 * Allowed values: the names in SAFE_SYSCTLS for the policy version
 */

export const SAFE_SYSCTLS: readonly AllowListStep[] = [
  {
    minimumVersion: 'v1.0',
    added: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'],
  },
  { minimumVersion: 'v1.27', added: ['net.ipv4.ip_local_reserved_ports'] },
  { minimumVersion: 'v1.29', added: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] },
  { minimumVersion: 'v1.32', added: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { minimumVersion: 'v1.37', added: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

function sysctlsAllowing(safe: ReadonlySet<string>): EvaluateFn {
  return (_meta: PodMeta, spec: PodSpec): CheckResult => {
    const forbidden: string[] = [];
    const fields: FieldRef[] = [];
    spec.securityContext?.sysctls?.forEach((sysctl, index) => {
      if (sysctl === undefined) return;
      const name = sysctl.name ?? '';
      if (!safe.has(name)) {
        forbidden.push(name);
        fields.push(sysctl.name === undefined ? specField('/securityContext/sysctls', index) : specField('/securityContext/sysctls', index, 'name'));
      }
    });
    if (forbidden.length === 0) return ALLOWED;
    return forbid('forbidden sysctls', forbidden.join(', '), fields);
  };
}

export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  title: 'Unsafe sysctls',
  description: 'Sysctls can disable security mechanisms or affect all containers on a host; only a namespaced, isolated "safe" subset is allowed.',
  versions: accumulate(SAFE_SYSCTLS).map(({ minimumVersion, allowed }) => ({ minimumVersion, evaluate: sysctlsAllowing(allowed) })),
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const sysctlsRule = pssRule(sysctls, { severity: 'medium', title: 'Pod sets an unsafe sysctl', remediation: 'Remove sysctls outside the safe set.', nist: ['SC-39', 'CM-6'] });
