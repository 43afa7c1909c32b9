import { ALLOWED, containersPhrase, forbid, joinQuote, nameOf, sortedUnique, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Adding capabilities beyond the default set must be disallowed.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.capabilities.add
 *   spec.initContainers[*].securityContext.capabilities.add
 *   spec.ephemeralContainers[*].securityContext.capabilities.add
 * Allowed values: undefined/empty, or any of BASELINE_CAPABILITIES_1_0
 */

/** The container runtime's default capability set, which baseline lets a container add back. */
export const BASELINE_CAPABILITIES_1_0: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

function capabilitiesBaseline_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const added: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    let addsForbidden = false;
    container.securityContext?.capabilities?.add?.forEach((capability, index) => {
      if (capability !== undefined && !BASELINE_CAPABILITIES_1_0.has(capability)) {
        addsForbidden = true;
        added.push(capability);
        fields.push(specField(pointer, 'securityContext', 'capabilities', 'add', index));
      }
    });
    if (addsForbidden) names.push(nameOf(container));
  }
  if (names.length === 0) return ALLOWED;
  return forbid(
    'non-default capabilities',
    `${containersPhrase(names)} must not include ${joinQuote(sortedUnique(added))} in securityContext.capabilities.add`,
    fields,
  );
}

export const capabilities_baseline: PssCheck = {
  id: 'capabilities_baseline',
  level: 'baseline',
  title: 'Capabilities beyond the default set',
  description: 'Adding capabilities beyond the container runtime\'s default set must be disallowed.',
  versions: [{ minimumVersion: 'v1.0', evaluate: capabilitiesBaseline_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const capabilities_baselineRule = pssRule(capabilities_baseline, { severity: 'high', title: 'Container adds capabilities beyond the baseline set', remediation: 'Remove added capabilities that are not in the baseline list (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT).', nist: ['AC-6', 'CM-7'], cis: ['5.2.9'] });
