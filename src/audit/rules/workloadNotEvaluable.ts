import { defineRule } from '../../core/rule.js';

/** `palisade audit`: part of a pod spec is applied at run time (Argo's podSpecPatch) and cannot be judged. */
export const workloadNotEvaluable = defineRule({
  id: 'WORKLOAD_NOT_EVALUABLE',
  family: 'audit',
  severity: 'medium',
  title: 'Part of the pod spec is applied at run time',
  description:
    "Argo Workflows' `podSpecPatch` (on a template or the workflow spec) is a strategic merge patch, often with parameters, that Argo applies to the pod when it creates it. It can set any field (privileged, hostPath volumes, hostNetwork), so the verdicts on that pod spec hold only for what the patch leaves unchanged.",
  remediation: 'Set the fields in the template itself (container, securityContext, resources) instead of podSpecPatch, or enforce the policy at admission (palisade serve) where the patched pod is seen.',
  frameworks: {},
  messages: {
    template: '{field} at {path} is applied to the pod of {podSpec} at run time and cannot be evaluated; the verdicts hold only for the fields it leaves unchanged',
    workflow: '{field} at {path} is applied to every pod the workflow runs at run time and cannot be evaluated; the verdicts hold only for the fields it leaves unchanged',
  },
});
