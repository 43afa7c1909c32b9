import { ALLOWED, containersPhrase, deepestField, forbid, isWindowsPod, joinQuote, nameOf, sortedUnique, specField } from '../helpers.js';
import { visitContainers, type PodMeta, type PodSpec } from '../podSpec.js';
import { pssRule } from '../meta.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * Containers must drop ALL capabilities, and are only permitted to add back NET_BIND_SERVICE.
 *
 * Restricted fields:
 *   spec.containers[*].securityContext.capabilities.drop
 *   spec.initContainers[*].securityContext.capabilities.drop
 *   spec.ephemeralContainers[*].securityContext.capabilities.drop
 * Allowed values: a list containing "ALL"
 *
 *   spec.containers[*].securityContext.capabilities.add
 *   spec.initContainers[*].securityContext.capabilities.add
 *   spec.ephemeralContainers[*].securityContext.capabilities.add
 * Allowed values: undefined/empty, "NET_BIND_SERVICE"
 *
 * From v1.25 Windows pods (spec.os.name: windows) are exempt: the API rejects capabilities on them.
 */

const DROP_ALL = 'ALL';
const RESTRICTED_ADDABLE = 'NET_BIND_SERVICE';

function capabilitiesRestricted_1_22(_meta: PodMeta, spec: PodSpec): CheckResult {
  const missingDropAll: string[] = [];
  const addingForbidden: string[] = [];
  const forbiddenCapabilities: string[] = [];
  const fields: FieldRef[] = [];
  for (const { container, pointer } of visitContainers(spec)) {
    const capabilities = container.securityContext?.capabilities;
    if (!capabilities?.drop?.includes(DROP_ALL)) {
      missingDropAll.push(nameOf(container));
      fields.push(deepestField(container, pointer, ['securityContext', 'capabilities', 'drop']));
    }
    let addsForbidden = false;
    capabilities?.add?.forEach((capability, index) => {
      if (capability !== undefined && capability !== RESTRICTED_ADDABLE) {
        addsForbidden = true;
        forbiddenCapabilities.push(capability);
        fields.push(specField(pointer, 'securityContext', 'capabilities', 'add', index));
      }
    });
    if (addsForbidden) addingForbidden.push(nameOf(container));
  }
  const details: string[] = [];
  if (missingDropAll.length > 0) {
    details.push(`${containersPhrase(missingDropAll)} must set securityContext.capabilities.drop=["ALL"]`);
  }
  if (addingForbidden.length > 0) {
    details.push(
      `${containersPhrase(addingForbidden)} must not include ${joinQuote(sortedUnique(forbiddenCapabilities))} in securityContext.capabilities.add`,
    );
  }
  if (details.length === 0) return ALLOWED;
  return forbid('unrestricted capabilities', details.join('; '), fields);
}

function capabilitiesRestricted_1_25(meta: PodMeta, spec: PodSpec): CheckResult {
  if (isWindowsPod(spec)) return ALLOWED;
  return capabilitiesRestricted_1_22(meta, spec);
}

export const capabilities_restricted: PssCheck = {
  id: 'capabilities_restricted',
  level: 'restricted',
  title: 'Capabilities not dropped',
  description: 'Containers must drop ALL capabilities and may add back only NET_BIND_SERVICE.',
  versions: [
    { minimumVersion: 'v1.22', evaluate: capabilitiesRestricted_1_22, overrides: ['capabilities_baseline'] },
    { minimumVersion: 'v1.25', evaluate: capabilitiesRestricted_1_25, overrides: ['capabilities_baseline'] },
  ],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const capabilities_restrictedRule = pssRule(capabilities_restricted, { severity: 'medium', title: 'Container does not drop ALL capabilities', remediation: 'Set securityContext.capabilities.drop: [ALL] and add back only NET_BIND_SERVICE if the container binds a port below 1024.', nist: ['AC-6', 'CM-7'], cis: ['5.2.8', '5.2.10'] });
