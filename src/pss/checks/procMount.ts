import { ALLOWED, containersPhrase, forbid, joinQuote, nameOf, relaxForUserNamespace, sortedUnique, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * The default /proc masks are set up to reduce attack surface, and should be required.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.procMount
 *   spec.initContainers[*].securityContext.procMount
 *   spec.ephemeralContainers[*].securityContext.procMount
 * Allowed values: undefined/null, "Default"
 *
 * From v1.35 baseline allows any procMount in a pod with its own user namespace (hostUsers: false);
 * restricted keeps the strict rule through procMount_restricted.
 */

const DEFAULT_PROC_MOUNT = 'Default';

/** The strict rule, also run by procMount_restricted. */
export function procMount_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const types: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const procMount = container.securityContext?.procMount;
    if (procMount !== undefined && procMount !== DEFAULT_PROC_MOUNT) {
      names.push(nameOf(container));
      types.push(procMount);
      fields.push(specField(pointer, 'securityContext', 'procMount'));
    }
  }
  if (names.length === 0) return ALLOWED;
  return forbid('procMount', `${containersPhrase(names)} must not set securityContext.procMount to ${joinQuote(sortedUnique(types))}`, fields);
}

function procMount_1_35(meta: PodMeta, spec: PodSpec): CheckResult {
  if (relaxForUserNamespace(spec)) return ALLOWED;
  return procMount_1_0(meta, spec);
}

export const procMount: PssCheck = {
  id: 'procMount',
  level: 'baseline',
  title: 'Unmasked /proc',
  description: 'The default /proc masks reduce attack surface and should be required.',
  versions: [
    { minimumVersion: 'v1.0', evaluate: procMount_1_0 },
    { minimumVersion: 'v1.35', evaluate: procMount_1_35 },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const procMountRule = pssRule(procMount, { severity: 'medium', title: 'Container uses an unmasked /proc', remediation: 'Remove securityContext.procMount or set it to Default.', nist: ['SC-39'] });
