import { defineRule } from '../../core/rule.js';

/** `palisade audit`: a pod spec the API server would refuse (no containers, a container without image), judged for what is there. */
export const workloadIncomplete = defineRule({
  id: 'WORKLOAD_INCOMPLETE',
  family: 'audit',
  severity: 'low',
  title: 'Pod spec is incomplete',
  description:
    'A pod spec without containers, or with a container that names no image, is refused by the API server and is usually a fragment (a kustomize base, a Helm partial, a Spark or Argo pod template a tool fills in). palisade still judges what is there (host namespaces, volumes, the service account, the containers it has) and says the spec is incomplete, so a run never reports "no findings" for a workload it could not fully read. Rows the operator merges onto its own defaults (KServe workerSpec, LLMInferenceService, Seldon componentSpecs) are overrides, not incomplete.',
  remediation: 'Give every pod spec at least one container with an image, or audit the rendered manifests (kustomize build, helm template) rather than the fragment.',
  frameworks: {},
  messages: { incomplete: 'the pod spec at {path} is incomplete: {parts}; the API server would refuse it, and only what is there was judged' },
});
