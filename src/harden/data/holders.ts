/**
 * Pod-spec locations of the workloads table whose holder is not a full PodSpec: it lacks some
 * pod-level fields, and a field the CRD schema does not know would be pruned or rejected. Harden
 * then sets securityContext fields on each container instead, and skips what has no home.
 * Sources: kserve V1alpha1ServingRuntimePodSpec (containers, volumes, nodeSelector, affinity,
 * tolerations, labels, annotations, imagePullSecrets); seldon-core v1 Explainer (containerSpec only).
 */
export type PodLevelField = 'securityContext' | 'volumes' | 'automountServiceAccountToken';

export interface PartialHolder {
  kinds: readonly string[];
  /** Matched against the pod-spec pointer. */
  podSpec: RegExp;
  lacks: readonly PodLevelField[];
}

export const PARTIAL_HOLDERS: readonly PartialHolder[] = [
  { kinds: ['ServingRuntime', 'ClusterServingRuntime'], podSpec: /^\/spec$/, lacks: ['securityContext', 'automountServiceAccountToken'] },
  { kinds: ['SeldonDeployment'], podSpec: /^\/spec\/predictors\/\d+\/explainer$/, lacks: ['securityContext', 'volumes', 'automountServiceAccountToken'] },
];
