import { accumulate, ALLOWED, containersPhrase, forbid, joinQuote, nameOf, pluralize, sortedUnique, specField, type AllowListStep } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec, type SELinuxOptions } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, EvaluateFn, FieldRef, PssCheck } from '../types.js';

/*
 * Setting the SELinux type is restricted, and setting a custom SELinux user or role option is
 * forbidden.
 *
 * Restricted fields:
 *   spec.securityContext.seLinuxOptions.type
 *   spec.containers[*].securityContext.seLinuxOptions.type
 *   spec.initContainers[*].securityContext.seLinuxOptions.type
 *   spec.ephemeralContainers[*].securityContext.seLinuxOptions.type
 * Allowed values: the types in ALLOWED_SELINUX_TYPES for the policy version ("" means unset)
 *
 *   spec.securityContext.seLinuxOptions.user and .role
 *   spec.containers[*].securityContext.seLinuxOptions.user and .role
 *   spec.initContainers[*].securityContext.seLinuxOptions.user and .role
 *   spec.ephemeralContainers[*].securityContext.seLinuxOptions.user and .role
 * Allowed values: undefined/""
 */

export const ALLOWED_SELINUX_TYPES: readonly AllowListStep[] = [
  { minimumVersion: 'v1.0', added: ['', 'container_t', 'container_init_t', 'container_kvm_t'] },
  { minimumVersion: 'v1.31', added: ['container_engine_t'] },
];

function seLinuxOptionsAllowing(allowedTypes: ReadonlySet<string>): EvaluateFn {
  return (_meta: PodMeta, spec: PodSpec): CheckResult => {
    const badTypes: string[] = [];
    let setsUser = false;
    let setsRole = false;
    const fields: FieldRef[] = [];

    /** True when the options are allowed; records what is not. */
    const valid = (options: SELinuxOptions, base: string): boolean => {
      let ok = true;
      const type = options.type ?? '';
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.push(type);
        fields.push(specField(base, 'seLinuxOptions', 'type'));
      }
      if (options.user) {
        ok = false;
        setsUser = true;
        fields.push(specField(base, 'seLinuxOptions', 'user'));
      }
      if (options.role) {
        ok = false;
        setsRole = true;
        fields.push(specField(base, 'seLinuxOptions', 'role'));
      }
      return ok;
    };

    const badSetters: string[] = [];
    const podOptions = spec.securityContext?.seLinuxOptions;
    if (podOptions && !valid(podOptions, '/securityContext')) badSetters.push('pod');
    const names: string[] = [];
    for (const { container, pointer } of visitContainers(spec)) {
      const options = container.securityContext?.seLinuxOptions;
      if (options && !valid(options, `${pointer}/securityContext`)) names.push(nameOf(container));
    }
    if (names.length > 0) badSetters.push(containersPhrase(names));
    if (badSetters.length === 0) return ALLOWED;

    const badData: string[] = [];
    const uniqueTypes = sortedUnique(badTypes);
    if (uniqueTypes.length > 0) badData.push(`${pluralize('type', 'types', uniqueTypes.length)} ${joinQuote(uniqueTypes)}`);
    if (setsUser) badData.push('user may not be set');
    if (setsRole) badData.push('role may not be set');
    return forbid('seLinuxOptions', `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`, fields);
  };
}

export const seLinuxOptions: PssCheck = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux options',
  description: 'Setting the SELinux type is restricted to container types, and setting a custom SELinux user or role is forbidden.',
  versions: accumulate(ALLOWED_SELINUX_TYPES).map(({ minimumVersion, allowed }) => ({ minimumVersion, evaluate: seLinuxOptionsAllowing(allowed) })),
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const seLinuxOptionsRule = pssRule(seLinuxOptions, { severity: 'medium', title: 'SELinux options are not allowed', remediation: 'Remove seLinuxOptions.user and role, and use only the allowed container types.', nist: ['AC-3', 'SC-39'] });
