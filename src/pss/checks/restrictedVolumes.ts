import { ALLOWED, forbid, joinQuote, pluralize, sortedUnique, specField } from '../helpers.js';
import { pssRule } from '../meta.js';
import type { PodMeta, PodSpec, VolumeSource } from '../podSpec.js';
import type { CheckResult, FieldRef, PssCheck } from '../types.js';

/*
 * In addition to restricting HostPath volumes, the restricted profile limits usage of inline pod
 * volume sources to the types in RESTRICTED_VOLUME_SOURCES.
 *
 * Restricted fields:
 *   spec.volumes[*]
 * Allowed values: a volume whose source is one of RESTRICTED_VOLUME_SOURCES
 *   (a volume that names no source is defaulted to emptyDir by the API server)
 */

/** Sources that restricted pods may use. */
export const RESTRICTED_VOLUME_SOURCES: ReadonlySet<VolumeSource> = new Set<VolumeSource>([
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret',
]);

/** How upstream names a forbidden volume's type: the first match in this order, else "unknown". */
const FORBIDDEN_SOURCE_ORDER: readonly VolumeSource[] = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
  'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos',
];

function restrictedVolumes_1_0(_meta: PodMeta, spec: PodSpec): CheckResult {
  const names: string[] = [];
  const types: string[] = [];
  const fields: FieldRef[] = [];
  spec.volumes?.forEach((volume, index) => {
    if (volume === undefined || [...volume.sources].some((source) => RESTRICTED_VOLUME_SOURCES.has(source))) return;
    names.push(volume.name ?? '');
    const type = FORBIDDEN_SOURCE_ORDER.find((source) => volume.sources.has(source));
    types.push(type ?? 'unknown');
    fields.push(type === undefined ? specField('/volumes', index) : specField('/volumes', index, type));
  });
  if (names.length === 0) return ALLOWED;
  const uniqueTypes = sortedUnique(types);
  return forbid(
    'restricted volume types',
    `${pluralize('volume', 'volumes', names.length)} ${joinQuote(names)} ${pluralize('uses', 'use', names.length)} ` +
      `${pluralize('restricted volume type', 'restricted volume types', uniqueTypes.length)} ${joinQuote(uniqueTypes)}`,
    fields,
  );
}

export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  title: 'Volume types',
  description: 'Restricted pods may only use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes.',
  versions: [{ minimumVersion: 'v1.0', evaluate: restrictedVolumes_1_0, overrides: ['hostPathVolumes'] }],
};

/** How a violation reads as a palisade finding (NIST SP 800-53 rev. 5; CIS Kubernetes Benchmark v1.9). */
export const restrictedVolumesRule = pssRule(restrictedVolumes, { severity: 'medium', title: 'Pod uses a volume type outside the restricted set', remediation: 'Use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret and image volumes.', nist: ['AC-6', 'CM-7'], id: 'PSS_RESTRICTED_VOLUME_TYPES' });
