import { defineRule } from '../../core/rule.js';
import type { Detection } from './types.js';

export const mlServingSpecChanged: Detection = {
  meta: defineRule({
    id: 'AUDITLOG_ML_SERVING_SPEC_CHANGED',
    family: 'auditlog',
    severity: 'medium',
    title: 'Image or model location of an InferenceService, ServingRuntime or RayService written',
    description:
      'An update or patch of a KServe InferenceService, ServingRuntime, ClusterServingRuntime, InferenceGraph or TrainedModel, a KubeRay RayService or RayCluster, a Seldon deployment or a Kubeflow Notebook carries an image, storageUri, storage or modelUri field. Swapping the image or the model location of a running service replaces what answers predictions without a new deployment review. A patch names only what it changes; an update (kubectl apply, replace) sends the whole spec, so a re-applied unchanged spec is reported too. Needs Request-level events for these resources.',
    remediation: 'Check that the change came from the release pipeline and points to a signed image and a reviewed model; restrict update and patch on these resources to the deployer identity.',
    frameworks: { 'mitre-attack': ['T1525', 'T1610'], 'mitre-atlas': ['AML.T0010.003', 'AML.T0018', 'AML.T0010.004'] },
    messages: { alert: '{output}' },
  }),
  falco: {
    rule: 'ML Serving Image Or Model Changed',
    desc: 'Detect writes of the image or model location of ML serving resources.',
    condition: 'palisade_complete and ka.verb in (update, patch) and ka.target.resource in (palisade_ml_serving_resources) and not ka.target.subresource exists and palisade_succeeded and palisade_ml_spec_change and not palisade_known_ml_spec_writers',
    output: 'ML serving image or model location written (user=%ka.user.name resource=%ka.target.resource name=%ka.target.name ns=%ka.target.namespace verb=%ka.verb)',
    priority: 'Warning',
    tags: ['k8s', 'ml', 'mitre_persistence'],
  },
};
