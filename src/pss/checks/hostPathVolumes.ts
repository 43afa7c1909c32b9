import { ALLOWED, forbid, joinQuote, pluralize, specField } from '../helpers.js';
import { pssRule } from '../meta.js';
import type { PodMeta, PodSpec } from '../podSpec.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * HostPath volumes must be forbidden.
 *
 * Restricted fields:
 *   spec.volumes[*].hostPath
 * Allowed values: undefined/null
 */

function hostPathVolumes_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const fields: FieldRef[] = [];
  spec.volumes?.forEach((volume, index) => {
    if (volume?.sources.has('hostPath')) {
      names.push(volume.name ?? '');
      fields.push(specField('/volumes', index, 'hostPath'));
    }
  });
  if (names.length === 0) return ALLOWED;
  return forbid('hostPath volumes', `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)}`, fields);
}

export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  title: 'HostPath volumes',
  description: 'HostPath volumes expose the node filesystem and must be forbidden.',
  versions: [{ minimumVersion: 'v1.0', evaluate: hostPathVolumes_1_0 }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const hostPathVolumesRule = pssRule(hostPathVolumes, { severity: 'high', title: 'Pod mounts a hostPath volume', remediation: 'Replace hostPath volumes with emptyDir, a PersistentVolumeClaim, a ConfigMap or a CSI volume.', nist: ['AC-6', 'SC-39'], cis: ['5.2.12'] });
