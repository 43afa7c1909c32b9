import { defineRule } from '../../core/rule.js';

/** `palisade audit`: a known pod-spec location holds a scalar or a list where the API wants a mapping. */
export const workloadMalformed = defineRule({
  id: 'WORKLOAD_MALFORMED',
  family: 'audit',
  severity: 'medium',
  title: 'Pod spec is not a mapping',
  description:
    "Where the workloads table says a kind keeps its pod spec (a Pod's `spec`, a Deployment's `spec.template.spec`, a RayCluster's `workerGroupSpecs[*].template.spec`...), the object holds a string, a number, a boolean or a list instead of a mapping, or a field on the way there does (`spec.template: \"oops\"`, `workerGroupSpecs: ray`). The API server refuses such an object, so no pod runs from it as written; but whatever the author meant to deploy was not judged at all, so palisade says so at the place instead of reporting nothing. Usually an indentation slip (`spec:\\n  - containers:`), a templating error, or a value quoted by mistake. Null and absent fields are not malformed.",
  remediation: 'Write the pod spec as a mapping (containers, securityContext, volumes... as keys under it), as the kind\'s API reference shows; render templates (helm template, kustomize build) and audit the output.',
  frameworks: {},
  messages: {
    podSpec: '{path} holds {found} where the pod spec of the {kind} must be a mapping; the API server would refuse the object, and nothing under it was judged',
    onTheWay: '{path} holds {found} where {expected} is expected on the way to the pod spec of the {kind} ({podSpec}); the API server would refuse the object, and nothing under it was judged',
  },
});
